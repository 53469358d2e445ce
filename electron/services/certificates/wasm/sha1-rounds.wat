;; Chained SHA-1 rounds for the PKCS#12 KDF: h = SHA1(h), `rounds` times, for a 20-byte h.
;;
;; A 20-byte message is one block with fixed padding, so each round is one compression of
;; (h0..h4, 0x80000000, 0 x 9, 160). Memory layout: bytes 0..19 hold h0..h4 as i32 words (the
;; caller reads and writes them through an Int32Array); bytes 64..127 are the rolling 16-word
;; message schedule. Compiled to sha1-rounds-wasm.ts by scripts/build-wasm.mjs.
(module
  (memory (export "memory") 1)
  (func (export "sha1Rounds") (param $rounds i32)
    (local $h0 i32) (local $h1 i32) (local $h2 i32) (local $h3 i32) (local $h4 i32)
    (local $a i32) (local $b i32) (local $c i32) (local $d i32) (local $e i32)
    (local $t i32) (local $wt i32) (local $f i32) (local $temp i32) (local $r i32) (local $i i32)
    (local.set $h0 (i32.load (i32.const 0)))
    (local.set $h1 (i32.load (i32.const 4)))
    (local.set $h2 (i32.load (i32.const 8)))
    (local.set $h3 (i32.load (i32.const 12)))
    (local.set $h4 (i32.load (i32.const 16)))
    (block $done
      (loop $round
        (br_if $done (i32.ge_u (local.get $r) (local.get $rounds)))
        (i32.store (i32.const 64) (local.get $h0))
        (i32.store (i32.const 68) (local.get $h1))
        (i32.store (i32.const 72) (local.get $h2))
        (i32.store (i32.const 76) (local.get $h3))
        (i32.store (i32.const 80) (local.get $h4))
        (i32.store (i32.const 84) (i32.const 0x80000000))
        (local.set $i (i32.const 88))
        (block $zeroed
          (loop $zero
            (br_if $zeroed (i32.ge_u (local.get $i) (i32.const 124)))
            (i32.store (local.get $i) (i32.const 0))
            (local.set $i (i32.add (local.get $i) (i32.const 4)))
            (br $zero)))
        (i32.store (i32.const 124) (i32.const 160))
        (local.set $a (i32.const 0x67452301))
        (local.set $b (i32.const 0xefcdab89))
        (local.set $c (i32.const 0x98badcfe))
        (local.set $d (i32.const 0x10325476))
        (local.set $e (i32.const 0xc3d2e1f0))
        (local.set $t (i32.const 0))
        (block $compressed
          (loop $step
            (br_if $compressed (i32.ge_u (local.get $t) (i32.const 80)))
            (if (i32.lt_u (local.get $t) (i32.const 16))
              (then (local.set $wt (i32.load offset=64 (i32.shl (local.get $t) (i32.const 2)))))
              (else
                (local.set $wt
                  (i32.rotl
                    (i32.xor
                      (i32.xor
                        (i32.load offset=64 (i32.shl (i32.and (i32.sub (local.get $t) (i32.const 3)) (i32.const 15)) (i32.const 2)))
                        (i32.load offset=64 (i32.shl (i32.and (i32.sub (local.get $t) (i32.const 8)) (i32.const 15)) (i32.const 2))))
                      (i32.xor
                        (i32.load offset=64 (i32.shl (i32.and (i32.sub (local.get $t) (i32.const 14)) (i32.const 15)) (i32.const 2)))
                        (i32.load offset=64 (i32.shl (i32.and (local.get $t) (i32.const 15)) (i32.const 2)))))
                    (i32.const 1)))
                (i32.store offset=64 (i32.shl (i32.and (local.get $t) (i32.const 15)) (i32.const 2)) (local.get $wt))))
            (if (i32.lt_u (local.get $t) (i32.const 20))
              (then
                (local.set $f
                  (i32.add
                    (i32.or (i32.and (local.get $b) (local.get $c))
                            (i32.and (i32.xor (local.get $b) (i32.const -1)) (local.get $d)))
                    (i32.const 0x5a827999))))
              (else
                (if (i32.lt_u (local.get $t) (i32.const 40))
                  (then
                    (local.set $f (i32.add (i32.xor (i32.xor (local.get $b) (local.get $c)) (local.get $d)) (i32.const 0x6ed9eba1))))
                  (else
                    (if (i32.lt_u (local.get $t) (i32.const 60))
                      (then
                        (local.set $f
                          (i32.add
                            (i32.or (i32.or (i32.and (local.get $b) (local.get $c)) (i32.and (local.get $b) (local.get $d)))
                                    (i32.and (local.get $c) (local.get $d)))
                            (i32.const 0x8f1bbcdc))))
                      (else
                        (local.set $f (i32.add (i32.xor (i32.xor (local.get $b) (local.get $c)) (local.get $d)) (i32.const 0xca62c1d6)))))))))
            (local.set $temp
              (i32.add (i32.add (i32.rotl (local.get $a) (i32.const 5)) (local.get $f))
                       (i32.add (local.get $e) (local.get $wt))))
            (local.set $e (local.get $d))
            (local.set $d (local.get $c))
            (local.set $c (i32.rotl (local.get $b) (i32.const 30)))
            (local.set $b (local.get $a))
            (local.set $a (local.get $temp))
            (local.set $t (i32.add (local.get $t) (i32.const 1)))
            (br $step)))
        (local.set $h0 (i32.add (i32.const 0x67452301) (local.get $a)))
        (local.set $h1 (i32.add (i32.const 0xefcdab89) (local.get $b)))
        (local.set $h2 (i32.add (i32.const 0x98badcfe) (local.get $c)))
        (local.set $h3 (i32.add (i32.const 0x10325476) (local.get $d)))
        (local.set $h4 (i32.add (i32.const 0xc3d2e1f0) (local.get $e)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $round)))
    (i32.store (i32.const 0) (local.get $h0))
    (i32.store (i32.const 4) (local.get $h1))
    (i32.store (i32.const 8) (local.get $h2))
    (i32.store (i32.const 12) (local.get $h3))
    (i32.store (i32.const 16) (local.get $h4))))

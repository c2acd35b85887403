#!/usr/bin/env python3
"""Independent cross-check of the Hamming lab's exact minimum (HammingMinimum.cs), with NumPy.

1. No set of 4 of the 51 non-constant 3-input threshold functions (up to complement) computes
   (d2^d3^d4, d3^d4, d2^d4) with step outputs: prints 249900 examined, 0 working.
2. Of the 4368 sets of 5 of the 16 majority-of-three-literal neurons, prints how many compute P1, P2, P3,
   and into how many classes they fall under the 96 symmetries (permutations of d1, d2, d3; complemented inputs).
Threshold functions come from integer weights (|w| <= 3 for n <= 4, |w| <= 5 for n = 5); the counts are
checked against OEIS A000609 (104, 1882, 94572). Run: /usr/bin/python3 tools/labs/hamming_minimum_check.py
"""
import itertools
import numpy as np


def tables(n, bound):
    inputs = np.array([[(i >> (n - 1 - j)) & 1 for j in range(n)] for i in range(1 << n)])
    w = np.array(list(itertools.product(range(-bound, bound + 1), repeat=n)))
    sums = w @ inputs.T                                  # [weights, inputs]
    found = set()
    powers = (1 << np.arange(1 << n)).astype(np.uint64)
    for t in range(-bound * n - 1, bound * n + 1):
        on = (sums > t + 0.5).astype(np.uint64)
        found.update((on * powers).sum(axis=1).tolist())
    return np.array(sorted(found), dtype=np.uint64)


def realizes(hidden, target, n_in, t_k):
    k = len(hidden)
    codes = [sum(((h >> x) & 1) << j for j, h in enumerate(hidden)) for x in range(1 << n_in)]
    ones = zeros = 0
    for x, c in enumerate(codes):
        if (target >> x) & 1:
            ones |= 1 << c
        else:
            zeros |= 1 << c
    if ones & zeros:
        return False
    return bool((((~t_k) & np.uint64(ones)) | (t_k & np.uint64(zeros)) == 0).any())


T = {n: tables(n, 3 if n < 5 else 5) for n in (3, 4, 5)}
assert [len(T[n]) for n in (3, 4, 5)] == [104, 1882, 94572], [len(T[n]) for n in (3, 4, 5)]

face = [0, 0, 0]
for y in range(8):
    d2, d3, d4 = (y >> 2) & 1, (y >> 1) & 1, y & 1
    face[0] |= (d2 ^ d3 ^ d4) << y
    face[1] |= (d3 ^ d4) << y
    face[2] |= (d2 ^ d4) << y
u3 = [int(f) for f in T[3] if int(f) & 1 == 0 and int(f) != 0]
examined = working = 0
for s in itertools.combinations(u3, 4):
    examined += 1
    working += all(realizes(s, t, 3, T[4]) for t in face)
print(f"face d1=0, sets of 4: {examined} examined, {working} working")

parity = [0, 0, 0]
for x in range(16):
    d = [(x >> 3) & 1, (x >> 2) & 1, (x >> 1) & 1, x & 1]
    parity[0] |= (d[1] ^ d[2] ^ d[3]) << x
    parity[1] |= (d[0] ^ d[2] ^ d[3]) << x
    parity[2] |= (d[0] ^ d[1] ^ d[3]) << x
majorities = set()
for skip in range(4):
    vs = [i for i in range(4) if i != skip]
    for neg in range(8):
        t = 0
        for x in range(16):
            bits = [(x >> (3 - i)) & 1 for i in range(4)]
            if sum(bits[v] ^ ((neg >> a) & 1) for a, v in enumerate(vs)) >= 2:
                t |= 1 << x
        majorities.add(t if t & 1 == 0 else 0xFFFF ^ t)
majorities = sorted(majorities)
assert len(majorities) == 16
examined = 0
layers = []
for s in itertools.combinations(majorities, 5):
    examined += 1
    if all(realizes(s, t, 4, T[5]) for t in parity):
        layers.append(frozenset(s))


def normalized(t):
    return t if t & 1 == 0 else 0xFFFF ^ t


def symmetry(perm, flip):
    def image(t):
        r = 0
        for x in range(16):
            d = [(x >> (3 - i)) & 1 for i in range(4)]
            e = [d[perm[0]], d[perm[1]], d[perm[2]], d[3]]
            y = sum((e[i] ^ ((flip >> (3 - i)) & 1)) << (3 - i) for i in range(4))
            r |= ((t >> y) & 1) << x
        return normalized(r)
    return image


group = [symmetry(p, f) for p in itertools.permutations(range(3)) for f in range(16)]
seen, orbits = set(), 0
for layer in layers:
    if layer not in seen:
        orbits += 1
        seen |= {frozenset(g(t) for t in layer) for g in group}
print(f"majority neurons, sets of 5: {examined} examined, {len(layers)} working, {orbits} up to symmetry")

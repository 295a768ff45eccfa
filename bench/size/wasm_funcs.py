#!/usr/bin/env python3
"""Where the bytes of a Wasm module go: code per C++ namespace/module, data, rest.

Usage: wasm_funcs.py module.wasm [--top N] [--objects a.o b.o ...]
--objects: functions defined in these (non-LTO) object files are counted under
the object's name (e.g. bindings/flatten_api.cpp.o) instead of their namespace.
The module must carry a name section (link with --profiling-funcs); sizes are
of the function bodies in that build, so compare shares, not absolute bytes.
"""
import re, subprocess, sys, zlib
from collections import defaultdict

def leb(b, i):
    r = s = 0
    while True:
        x = b[i]; i += 1
        r |= (x & 0x7f) << s; s += 7
        if x < 0x80: return r, i

def sections(b):
    i = 8
    while i < len(b):
        sid = b[i]; i += 1
        n, i = leb(b, i)
        yield sid, b[i:i+n]; i += n

def main():
    path = sys.argv[1]
    top = int(sys.argv[sys.argv.index('--top') + 1]) if '--top' in sys.argv else 25
    b = open(path, 'rb').read()
    nimports = 0; bodies = []; names = {}; sec_sizes = defaultdict(int); data = b''
    for sid, p in sections(b):
        sec_sizes[sid] += len(p)
        if sid == 2:
            cnt, i = leb(p, 0)
            for _ in range(cnt):
                for _ in range(2):
                    n, i = leb(p, i); i += n
                kind = p[i]; i += 1
                if kind == 0: _, i = leb(p, i); nimports += 1
                elif kind == 1: i += 1; fl, i = leb(p, i); _, i = leb(p, i); i = leb(p, i)[1] if fl & 1 else i
                elif kind == 2: fl, i = leb(p, i); _, i = leb(p, i); i = leb(p, i)[1] if fl & 1 else i
                elif kind == 3: i += 2
        elif sid == 10:
            cnt, i = leb(p, 0)
            for k in range(cnt):
                n, j = leb(p, i); bodies.append((k + nimports, j - i + n, p[j:j+n])); i = j + n
        elif sid == 11:
            data = p
        elif sid == 0:
            n, i = leb(p, 0); nm = p[i:i+n].decode(); i += n
            if nm == 'name':
                while i < len(p):
                    sub = p[i]; i += 1; sz, i = leb(p, i); end = i + sz
                    if sub == 1:
                        cnt, j = leb(p, i)
                        for _ in range(cnt):
                            idx, j = leb(p, j); ln, j = leb(p, j); names[idx] = p[j:j+ln].decode(errors='replace'); j += ln
                    i = end
    mangled = [names.get(idx, f'f{idx}') for idx, _, _ in bodies]
    owner = {}
    if '--objects' in sys.argv:
        for obj in sys.argv[sys.argv.index('--objects') + 1:]:
            out = subprocess.run(['llvm-nm', '--defined-only', '-C', obj], capture_output=True, text=True).stdout
            for line in out.splitlines():
                parts = line.split(maxsplit=2)
                if len(parts) == 3 and parts[1] in 'Tt':
                    owner.setdefault(parts[2], obj.split('/')[-1].replace('.cpp.o', '.cpp'))
    dem = subprocess.run(['llvm-cxxfilt'], input='\n'.join(mangled), capture_output=True, text=True).stdout.split('\n')
    per = defaultdict(lambda: [0, 0, bytearray()]); funcs = []
    for (idx, size, body), d in zip(bodies, dem):
        key = owner.get(names.get(idx, '')) or owner.get(d) or classify(d)
        per[key][0] += size; per[key][1] += 1; per[key][2] += body
        funcs.append((size, key, d[:140]))
    total = sum(v[0] for v in per.values())
    print(f'{path}: {len(b)} bytes; code {sec_sizes[10]}, data {sec_sizes[11]}, names/custom {sec_sizes[0]}')
    print(f'{"module":28} {"code bytes":>10} {"share":>6} {"gzip(alone)":>11} {"funcs":>6}')
    for k, (s, c, body) in sorted(per.items(), key=lambda kv: -kv[1][0]):
        print(f'{k:28} {s:10} {100*s/total:5.1f}% {len(zlib.compress(bytes(body), 9)):11} {c:6}')
    print(f'{"data segment":28} {len(data):10}        {len(zlib.compress(data, 9)):11}')
    print(f'\ntop {top} functions:')
    for s, k, d in sorted(funcs, reverse=True)[:top]:
        print(f'{s:8} {k:20} {d}')

RULES = [
    ('regex', r'mcpw::regex'), ('schema', r'mcpw::schema'), ('shapes', r'mcpw::shapes'),
    ('flatten', r'mcpw::flatten'), ('auth', r'mcpw::auth'), ('client', r'mcpw::client'),
    ('protocol', r'mcpw::protocol'), ('transport', r'mcpw::transport'), ('support', r'mcpw::support|mcpw::json'),
    ('bindings', r'mcpw::bindings|mcpw::wasm|^\(anonymous namespace\)|EMSCRIPTEN_BINDINGS|embind'),
    ('nlohmann json', r'nlohmann'), ('emscripten/embind', r'emscripten::'),
    ('libc++ std::', r'std::'), ('libc (malloc,strtod..)', r'^(dl|__|em|emscripten_|str|mem|s?printf|vfprintf|fmt|pop_arg|wcr|sbrk|malloc|free|realloc|calloc)'),
]
def classify(d):
    # The outermost namespace of the function name (before its argument list) decides.
    head = d.split('(')[0]
    for key, pat in RULES:
        if re.search(pat, head): return key
    for key, pat in RULES:
        if re.search(pat, d): return key + ' (args)'
    return 'other'

main()

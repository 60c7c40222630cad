#!/usr/bin/env python3
"""pathological.py CASE SIZE OUTDIR: one file of a shape that was quadratic (issue 30).

Cases: py-comments (KiB of comments after a def), ts-classes, ts-namespaces,
rs-fns, rs-mods, py-defs (nesting depth), rs-calls (nested calls), py-many,
rs-impls, go-many, ts-many (definitions). docs/BENCHMARKS.md, "Pathological files"."""
import os, sys
case, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
os.makedirs(out, exist_ok=True)
def w(name, text):
    open(os.path.join(out, name), 'w').write(text)
if case == 'py-comments':          # n KiB of comments after one def
    line = '# ' + 'x' * 60 + '\n'
    w('a.py', 'def f():\n    pass\n' + line * (n * 1024 // len(line)))
elif case == 'ts-classes':         # n-deep nested classes in methods
    w('a.ts', 'class C { m() { ' * n + '}}' * n + '\n')
elif case == 'ts-namespaces':
    w('a.ts', 'namespace N { ' * n + '}' * n + '\n')
elif case == 'rs-fns':
    w('a.rs', 'fn f() { ' * n + '}' * n + '\n')
elif case == 'rs-mods':
    w('a.rs', 'mod m { ' * n + '}' * n + '\n')
elif case == 'py-defs':
    w('a.py', ''.join('    ' * i + 'def f%d():\n' % i for i in range(n)) + '    ' * n + 'pass\n')
elif case == 'py-many':            # n small functions calling each other
    w('a.py', ''.join('def f%d():\n    return f%d()\n\n' % (i, (i + 1) % n) for i in range(n)))
elif case == 'rs-calls':
    w('a.rs', 'fn f(x: u32) -> u32 { x }\nfn g() -> u32 { ' + 'f(' * n + '1' + ')' * n + ' }\n')
elif case == 'rs-impls':           # n structs, each with an impl of one method
    w('a.rs', ''.join('pub struct S%d;\nimpl S%d {\n    pub fn f(&self) -> u32 { %d }\n}\n' % (i, i, i) for i in range(n)))
elif case == 'go-many':
    w('a.go', 'package p\n' + ''.join('func F%d() int { return F%d() }\n' % (i, (i + 1) % n) for i in range(n)))
elif case == 'ts-many':
    w('a.ts', ''.join('export function f%d(): number { return f%d(); }\n' % (i, (i + 1) % n) for i in range(n)))
else:
    sys.exit('unknown case ' + case)

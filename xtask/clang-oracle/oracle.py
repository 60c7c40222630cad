#!/usr/bin/python3
"""clang-oracle: go-to-definition pairs from clang itself (libclang).

    /usr/bin/python3 oracle.py ROOT c|c++ [clang arguments...] > pairs.jsonl

Parses every C (.c) or C++ (.cc .cpp .cxx) file under ROOT as its own
translation unit, with ROOT and every `include/` directory under it on the
include path (plus the arguments given), and prints for every reference
cursor whose name is spelled at its location (not expanded from a macro)
and whose declaration clang knows, one JSON line per declaration:
  {"ref":{file,line,col,end_line,end_col},"def":{file,line,col}|null,"kind":K}
0-based lines and byte columns, files relative to ROOT. A reference gets a
line per distinct place of its entity: clang's referenced declaration, the
first (canonical) declaration and the definition (each counts as right: a
prototype or in-class declaration and the body are one function). Locals,
parameters, namespaces and overload sets are left out, as scip2jsonl
--no-locals does (with WEFT_ORACLE_LOCALS=1, locals and parameters count); a header's references are printed once. Needs Debian's
python3-clang-14 and libclang1-14. Used by `cargo xtask accuracy`; never
part of weft.
"""
import json
import os
import sys

import clang.cindex as ci

LIBCLANG = "/usr/lib/llvm-14/lib/libclang-14.so.1"

REFS = {
    ci.CursorKind.DECL_REF_EXPR,
    ci.CursorKind.MEMBER_REF_EXPR,
    ci.CursorKind.MEMBER_REF,
    ci.CursorKind.TYPE_REF,
    ci.CursorKind.TEMPLATE_REF,
    ci.CursorKind.MACRO_INSTANTIATION,
}
FUNCTIONS = {
    ci.CursorKind.FUNCTION_DECL,
    ci.CursorKind.CXX_METHOD,
    ci.CursorKind.CONSTRUCTOR,
    ci.CursorKind.DESTRUCTOR,
    ci.CursorKind.FUNCTION_TEMPLATE,
    ci.CursorKind.LAMBDA_EXPR,
    ci.CursorKind.CONVERSION_FUNCTION,
}
SKIPPED = {
    ci.CursorKind.PARM_DECL,
    ci.CursorKind.TEMPLATE_TYPE_PARAMETER,
    ci.CursorKind.TEMPLATE_NON_TYPE_PARAMETER,
    ci.CursorKind.TEMPLATE_TEMPLATE_PARAMETER,
    ci.CursorKind.NAMESPACE,
    ci.CursorKind.OVERLOADED_DECL_REF,
}


LOCALS = os.environ.get("WEFT_ORACLE_LOCALS") == "1"


def local(decl):
    """A variable declared inside a function: a local."""
    if decl.kind != ci.CursorKind.VAR_DECL:
        return False
    parent = decl.semantic_parent
    return parent is not None and parent.kind in FUNCTIONS


def main():
    if len(sys.argv) < 3 or sys.argv[2] not in ("c", "c++"):
        sys.exit("usage: oracle.py ROOT c|c++ [clang arguments...] > pairs.jsonl")
    root = os.path.realpath(sys.argv[1])
    lang = sys.argv[2]
    exts = (".c",) if lang == "c" else (".cc", ".cpp", ".cxx")
    ci.Config.set_library_file(LIBCLANG)
    index = ci.Index.create()
    includes = [root]
    units = []
    for d, dirs, files in os.walk(root):
        dirs.sort()
        if os.path.basename(d) == "include":
            includes.append(d)
        units += [os.path.join(d, f) for f in sorted(files) if f.endswith(exts)]
    args = ["-x", lang, "-std=c11" if lang == "c" else "-std=c++17"]
    args += ["-I" + i for i in includes] + sys.argv[3:]
    texts = {}
    seen = set()
    out = sys.stdout
    n_refs = n_errors = 0

    def spelled(path, line, col, name):
        if path not in texts:
            with open(path, "rb") as f:
                texts[path] = f.read().split(b"\n")
        lines = texts[path]
        if line - 1 >= len(lines):
            return False
        return lines[line - 1][col - 1 : col - 1 + len(name)] == name.encode()

    def place(cursor):
        loc = cursor.location
        if loc.file is None:
            return None
        path = os.path.realpath(loc.file.name)
        if not path.startswith(root + os.sep):
            return None
        return os.path.relpath(path, root), loc.line - 1, loc.column - 1

    for unit in units:
        tu = index.parse(
            unit,
            args=args,
            options=ci.TranslationUnit.PARSE_DETAILED_PROCESSING_RECORD,
        )
        n_errors += sum(1 for d in tu.diagnostics if d.severity >= ci.Diagnostic.Error)
        for c in tu.cursor.walk_preorder():
            if c.kind not in REFS:
                continue
            decl = c.referenced
            if decl is None:
                continue
            if decl.kind in SKIPPED or local(decl):
                # (with WEFT_ORACLE_LOCALS, parameters and locals count)
                if not (LOCALS and (decl.kind == ci.CursorKind.PARM_DECL or local(decl))):
                    continue
            name = decl.spelling
            if not name or c.location.file is None:
                continue
            # `struct point` is spelled `point` at the reference
            name = name.split("::")[-1].split("<")[0]
            if name.startswith(("struct ", "union ", "enum ", "class ")):
                name = name.split(" ", 1)[1]
            path = os.path.realpath(c.location.file.name)
            if not path.startswith(root + os.sep):
                continue
            line, col = c.location.line, c.location.column
            if not spelled(path, line, col, name):
                continue  # expanded from a macro, or an implicit reference
            rel = os.path.relpath(path, root)
            key = (rel, line, col)
            if key in seen:
                continue
            seen.add(key)
            defs = []
            for d in (decl, decl.canonical, decl.get_definition()):
                p = place(d) if d is not None else None
                if p is not None and p not in defs:
                    defs.append(p)
            ref = {"file": rel, "line": line - 1, "col": col - 1,
                   "end_line": line - 1, "end_col": col - 1 + len(name)}
            kind = decl.kind.name.lower()
            for d in defs or [None]:
                json.dump({"ref": ref,
                           "def": None if d is None else {"file": d[0], "line": d[1], "col": d[2]},
                           "kind": kind}, out)
                out.write("\n")
            n_refs += 1
    print(f"clang-oracle: {len(units)} translation units, {n_refs} references, "
          f"{n_errors} compiler errors", file=sys.stderr)


if __name__ == "__main__":
    main()

// java-oracle: go-to-definition pairs from the Java compiler itself.
//
//   java Oracle.java ROOT [javac options...] > pairs.jsonl
//
// Compiles every .java file under ROOT with javac's API (JavacTask:
// parse + analyze, errors ignored: a missing dependency leaves its names
// unattributed, the rest is still resolved) and prints, for every
// identifier and member select whose element javac knows, one JSON line
//   {"ref":{file,line,col,end_line,end_col},"def":{file,line,col}|null,"kind":K}
// with 0-based lines and UTF-16 columns, files relative to ROOT. The def
// is the name of the declaration when it is one of ROOT's files, else null
// (the JDK, a library). Locals, parameters, type parameters and packages
// are left out, as scip2jsonl --no-locals does (with WEFT_ORACLE_LOCALS=1,
// locals and parameters count). Used by `cargo xtask
// accuracy`; never part of weft.

import com.sun.source.tree.*;
import com.sun.source.util.*;
import java.io.IOException;
import java.nio.file.*;
import java.util.*;
import java.util.stream.*;
import javax.lang.model.element.*;
import javax.tools.*;

public class Oracle {
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: java Oracle.java ROOT [javac options...] > pairs.jsonl");
            System.exit(2);
        }
        Path root = Paths.get(args[0]).toAbsolutePath().normalize();
        List<String> options = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
        options.addAll(List.of("-proc:none", "-Xlint:none", "-nowarn", "-implicit:none", "-XDshould-stop.ifError=FLOW"));
        List<Path> files;
        try (Stream<Path> s = Files.walk(root)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().collect(Collectors.toList());
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null);
        int[] errors = {0};
        DiagnosticListener<JavaFileObject> quiet = d -> {
            if (d.getKind() == Diagnostic.Kind.ERROR) errors[0]++;
        };
        JavacTask task = (JavacTask) javac.getTask(null, fm, quiet, options, null,
                fm.getJavaFileObjectsFromPaths(files));
        Iterable<? extends CompilationUnitTree> units = task.parse();
        task.analyze();
        Trees trees = Trees.instance(task);
        SourcePositions pos = trees.getSourcePositions();
        StringBuilder out = new StringBuilder();
        int[] count = {0};
        for (CompilationUnitTree cu : units) {
            String file = root.relativize(Paths.get(cu.getSourceFile().toUri())).toString();
            LineMap lines = cu.getLineMap();
            String text = cu.getSourceFile().getCharContent(true).toString();
            new TreePathScanner<Void, Void>() {
                void pair(Tree tree, Name name, long nameStart) {
                    if (nameStart < 0) return;
                    Element e = trees.getElement(getCurrentPath());
                    if (e == null || skipped(e)) return;
                    String n = name.toString();
                    if (n.equals("this") || n.equals("super") || n.equals("<init>")) return;
                    long line = lines.getLineNumber(nameStart) - 1;
                    long col = lines.getColumnNumber(nameStart) - 1;
                    out.append("{\"ref\":{\"file\":").append(json(file))
                       .append(",\"line\":").append(line).append(",\"col\":").append(col)
                       .append(",\"end_line\":").append(line).append(",\"end_col\":").append(col + n.length())
                       .append("},\"def\":").append(def(e)).append(",\"kind\":\"")
                       .append(e.getKind().toString().toLowerCase()).append("\"}\n");
                    count[0]++;
                }

                @Override
                public Void visitIdentifier(IdentifierTree t, Void v) {
                    pair(t, t.getName(), pos.getStartPosition(cu, t));
                    return super.visitIdentifier(t, v);
                }

                @Override
                public Void visitMemberSelect(MemberSelectTree t, Void v) {
                    // the name is the last word of the select's text
                    long end = pos.getEndPosition(cu, t);
                    String n = t.getIdentifier().toString();
                    long start = end < 0 ? -1 : end - n.length();
                    if (start >= 0 && !text.startsWith(n, (int) start)) start = -1;
                    pair(t, t.getIdentifier(), start);
                    return super.visitMemberSelect(t, v);
                }

                // ... and a synthetic type, named at the constant too.
                @Override
                public Void visitVariable(VariableTree t, Void v) {
                    Element declared = trees.getElement(getCurrentPath());
                    if (declared != null && declared.getKind() == ElementKind.ENUM_CONSTANT) {
                        scan(t.getInitializer(), v);
                        return null;
                    }
                    return super.visitVariable(t, v);
                }

                // javac gives every enum constant a synthetic `new E(...)`
                // whose type is named at the constant: not a reference.
                @Override
                public Void visitNewClass(NewClassTree t, Void v) {
                    TreePath up = getCurrentPath().getParentPath();
                    Element declared = up.getLeaf() instanceof VariableTree ? trees.getElement(up) : null;
                    if (declared != null && declared.getKind() == ElementKind.ENUM_CONSTANT) {
                        scan(t.getArguments(), v);
                        scan(t.getClassBody(), v);
                        return null;
                    }
                    return super.visitNewClass(t, v);
                }

                String def(Element e) {
                    TreePath path = trees.getPath(e);
                    if (path == null) return "null";
                    CompilationUnitTree dcu = path.getCompilationUnit();
                    Path dfile = Paths.get(dcu.getSourceFile().toUri());
                    if (!dfile.startsWith(root)) return "null";
                    long at = namePosition(dcu, path.getLeaf(), e.getSimpleName().toString());
                    if (at < 0) return "null";
                    LineMap dl = dcu.getLineMap();
                    return "{\"file\":" + json(root.relativize(dfile).toString())
                        + ",\"line\":" + (dl.getLineNumber(at) - 1)
                        + ",\"col\":" + (dl.getColumnNumber(at) - 1) + "}";
                }

                // The declaration's name: the first whole-word occurrence
                // after its modifiers (annotations may precede it).
                long namePosition(CompilationUnitTree dcu, Tree decl, String name) {
                    long start = pos.getStartPosition(dcu, decl);
                    if (decl instanceof ClassTree c) start = after(dcu, c.getModifiers(), start);
                    if (decl instanceof MethodTree m) {
                        start = after(dcu, m.getModifiers(), start);
                        if (m.getReturnType() != null) start = Math.max(start, pos.getEndPosition(dcu, m.getReturnType()));
                        if (name.equals("<init>")) return start;
                    }
                    if (decl instanceof VariableTree var) {
                        start = after(dcu, var.getModifiers(), start);
                        if (var.getType() != null) start = Math.max(start, pos.getEndPosition(dcu, var.getType()));
                    }
                    if (start < 0) return -1;
                    long from = start;
                    long found = find(dcu, name, from);
                    // `T name[]`: the type's end lies after the name
                    return found >= 0 ? found : find(dcu, name, pos.getStartPosition(dcu, decl));
                }

                long find(CompilationUnitTree dcu, String name, long start) {
                    if (start < 0) return -1;
                    String src;
                    try {
                        src = dcu.getSourceFile().getCharContent(true).toString();
                    } catch (IOException ex) {
                        return -1;
                    }
                    int i = (int) start;
                    while ((i = src.indexOf(name, i)) >= 0) {
                        boolean before = i == 0 || !Character.isJavaIdentifierPart(src.charAt(i - 1));
                        int j = i + name.length();
                        boolean after = j >= src.length() || !Character.isJavaIdentifierPart(src.charAt(j));
                        if (before && after) return i;
                        i = j;
                    }
                    return -1;
                }

                long after(CompilationUnitTree dcu, ModifiersTree m, long start) {
                    long end = m == null ? -1 : pos.getEndPosition(dcu, m);
                    return Math.max(start, end);
                }
            }.scan(cu, null);
        }
        System.out.print(out);
        System.err.println("java-oracle: " + files.size() + " files, " + count[0] + " references, "
                + errors[0] + " compiler errors (their names stay unattributed)");
    }

    static final boolean LOCALS = "1".equals(System.getenv("WEFT_ORACLE_LOCALS"));

    static boolean skipped(Element e) {
        switch (e.getKind()) {
            case LOCAL_VARIABLE: case PARAMETER: case EXCEPTION_PARAMETER: case RESOURCE_VARIABLE:
            case BINDING_VARIABLE:
                return !LOCALS;
            case TYPE_PARAMETER: case PACKAGE: case MODULE:
                return true;
            default:
                return false;
        }
    }

    static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}

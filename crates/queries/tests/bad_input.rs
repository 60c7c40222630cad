//! Bad input is normal input: random bytes, truncated real files, deep
//! nesting and huge lines give facts (maybe partial), never a panic.

use proptest::prelude::*;
use weft_queries::extract::extract;

const SAMPLES: &[(&str, &str)] = &[
    (
        "a.rs",
        "use std::fmt;\n/// Doc\npub struct S<T> { x: T }\nimpl<T: fmt::Debug> S<T> {\n    pub fn new(x: T) -> Self { Self { x } }\n    fn go(&self) { println!(\"{:?}\", self.x); helper::<u8>(1); }\n}\nmacro_rules! m { ($e:expr) => { $e } }\n",
    ),
    (
        "a.py",
        "import os\nfrom .x import (a as b, c)\n\nclass K(Base, metaclass=M):\n    '''doc'''\n    def m(self, *args, **kw):\n        return [self.n(i) for i in args]\n\n@decorator(1)\ndef f(x: int = 2) -> str:\n    return f\"{x}\"\n",
    ),
    (
        "a.ts",
        "import D, { x as y } from './b';\nexport default class K<T> extends B<T> implements I {\n  private p?: number = 1;\n  async m(@dec a: T): Promise<void> { await this.n?.(a); }\n}\nexport const f = <T,>(a: T) => a;\ntype U = { [k: string]: U } | null;\n",
    ),
    (
        "a.tsx",
        "export function V({ a }: P) { return <div onClick={() => go(a)}><Item {...a} /></div>; }\n",
    ),
    (
        "a.js",
        "const { a } = require('./m');\nmodule.exports = class extends a.B { #p = 1; static s() { return this.#p; } };\nexport * from './z';\n",
    ),
    (
        "a.go",
        "package p\n\nimport (\n\t\"fmt\"\n\tx \"example.com/m/x\"\n)\n\ntype S[T any] struct {\n\tx.Base\n\tN T\n}\n\nfunc (s *S[T]) M() { fmt.Println(s.N); x.F() }\n",
    ),
    (
        "A.java",
        "package a.b;\nimport static a.c.D.*;\n/** Doc. */\npublic class A<T> extends B implements I {\n  private final java.util.List<T> xs = new ArrayList<>();\n  @Override public void m(int... v) { var o = new Object() { int k; }; super.m(); this.xs.forEach(x -> f(x)); }\n  enum E { X, Y; void g() {} }\n  record R(int a) {}\n}\n",
    ),
    (
        "A.cs",
        "using static System.Math;\nusing M = Acme.Models;\nnamespace Acme.Shop;\n/// <summary>Doc.</summary>\npublic partial class A<T> : B, I where T : new() {\n  public int P { get; init; } = 1;\n  public static int Twice(this int v) => v * 2;\n  public void M(params int[] v) { var o = new { K = 1 }; base.M(); this.P.Twice(); Action f = () => G(1); }\n  enum E { X, Y }\n  record R(int A);\n}\n",
    ),
    (
        "a.rb",
        "require_relative \"b\"\nmodule A::B\n  # Doc.\n  class C < D::E\n    include F\n    attr_accessor :x, :y\n    def self.make(*a, **kw, &blk) = new(*a)\n    def go(v = 1) = @x ||= [v].map { |i| i.to_s }.each_with_object({}) { |s, h| h[s] = yield(s) }\n    private def z; super; end\n    class << self; def w; end; end\n  end\nend\n",
    ),
    (
        "a.php",
        "<?php\nnamespace A\\B;\nuse C\\{D, E as F};\n/** Doc. */\nabstract class G extends \\H implements I {\n  use T;\n  public function __construct(private readonly ?D $d = null) { parent::__construct(); }\n  public static function m(int ...$v): static { $x = fn($y) => $y?->z; return new static(...$v); }\n}\nenum S: string { case A = 'a'; }\n?><p><?= $x ?></p>\n",
    ),
    (
        "a.kt",
        "package a.b\nimport c.D as E\n/** Doc. */\nsealed class F<T : Any>(val x: T) : G(), H by h {\n  companion object { const val K = 1; fun make() = F(1) }\n  fun m(vararg v: Int) = v.map { it * 2 }.filter { y -> y > 1 }.also { println(it) }\n  inner class I { val z get() = this@F.x }\n}\nfun <T> T.ext(): T = this\nobject O : Runnable { override fun run() {} }\n",
    ),
    (
        "a.swift",
        "import Foundation\n/// Doc.\npublic final class A<T: Equatable>: B, C where T: Hashable {\n  private(set) var x: [T] = []\n  lazy var y = { [weak self] in self?.x.count ?? 0 }()\n  init?(_ v: T...) { super.init(); x = v.map { $0 } }\n  subscript(i: Int) -> T { get { x[i] } set { x[i] = newValue } }\n}\nextension A: CustomStringConvertible { var description: String { \"\\(x)\" } }\nenum E: Int { case a = 1, b }\n",
    ),
    (
        "a.c",
        "#include \"a.h\"\n#define MAX(a, b) ((a) > (b) ? (a) : (b))\ntypedef struct p { int x; struct p *next; } p_t;\nenum c { RED, GREEN = 2 };\nAPI_EXPORT int f(p_t *q) { return MAX(q->x, q->next->x) + RED; }\nstatic void (*fp)(int) = 0;\n",
    ),
    (
        "a.cpp",
        "#include <vector>\nnamespace n {\ntemplate <typename T> class GTEST_API_ Box : public Base<T> {\n public:\n  explicit Box(T v);\n  T get() const { return this->v_; }\n  bool operator==(const Box&) const = default;\n private:\n  T v_;\n};\nenum class K { A, B };\n}\nint n::Box<int>::get() const { return std::vector<int>{1}.size(); }\nusing namespace n;\n",
    ),
];

fn run_all(path: &str, text: &str) {
    for l in weft_queries::languages::all().all() {
        for g in 0..l.grammars.len() {
            let facts = extract(l, g, text);
            // spans stay inside the text
            let lines = text.split('\n').count() as u32;
            for d in &facts.defs {
                assert!(
                    d.span.start.line < lines.max(1),
                    "{path}: def {d:?} outside {lines} lines"
                );
            }
            for r in &facts.refs {
                assert!(!r.path.is_empty(), "{path}: empty reference path");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, .. ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let text = String::from_utf8_lossy(&bytes);
        run_all("random", &text);
    }

    /// Deep nesting of a sample's own constructs and long comment runs,
    /// the shapes that were quadratic (issue 30): facts, never a panic,
    /// and (under the parse budget) never a stall.
    #[test]
    fn deep_nesting_and_comment_runs_never_panic(
        i in 0..SAMPLES.len(),
        depth in 0usize..600,
        comments in 0usize..3000,
    ) {
        let (path, text) = SAMPLES[i];
        let (open, close, comment) = match path.rsplit('.').next() {
            Some("py") => ("def f():\n    ", "pass\n", "# c\n"),
            Some("go") => ("func f() { ", "}", "// c\n"),
            Some("c") => ("void f() { { ", "} }", "/* c */\n"),
            Some("cpp") => ("namespace n { class C { void f() { ", "} }; }", "// c\n"),
            Some("java") => ("class C { void f() { ", "} }", "// c\n"),
            Some("cs") => ("namespace N { class C { void F() { ", "} } }", "// c\n"),
            Some("rb") => ("module M\nclass C\ndef f\n", "end\nend\nend\n", "# c\n"),
            Some("php") => ("namespace N { class C { function f() { ", "} } }", "// c\n"),
            Some("kt") => ("class C {\nfun f() {\n", "}\n}\n", "// c\n"),
            Some("swift") => ("class C {\nfunc f() {\n", "}\n}\n", "// c\n"),
            Some("rs") => ("mod m { fn f() { ", "} }", "// c\n"),
            _ => ("class C { m() { ", "} }", "// c\n"),
        };
        let nested = if path.ends_with(".py") {
            (0..depth.min(120)).map(|d| format!("{}def f{d}():\n", "    ".repeat(d))).collect::<String>()
                + &"    ".repeat(depth.min(120)) + "pass\n"
        } else {
            format!("{}{}", open.repeat(depth), close.repeat(depth))
        };
        let text = format!("{text}{nested}\n{}", comment.repeat(comments));
        run_all(path, &text);
    }

    #[test]
    fn truncated_real_files_never_panic(i in 0..SAMPLES.len(), cut in 0usize..1000, junk in "[ -~\n]{0,40}") {
        let (path, text) = SAMPLES[i];
        let mut cut = cut.min(text.len());
        while !text.is_char_boundary(cut) { cut -= 1; }
        let broken = format!("{}{}", &text[..cut], junk);
        run_all(path, &broken);
    }
}

#[test]
fn deep_nesting_and_long_lines() {
    let deep_rs = format!("fn f() {{ {} 1 {} }}", "{".repeat(5000), "}".repeat(5000));
    let deep_py = (0..300)
        .map(|i| format!("{}if x:\n", "    ".repeat(i)))
        .collect::<String>();
    let deep_ts = format!("const x = {}1{};", "[".repeat(5000), "]".repeat(5000));
    let long = format!("fn g() {{ let s = \"{}\"; }}", "a".repeat(2_000_000));
    // a 20,000-deep `use` tree overflowed the stack of the recursive decoder
    let deep_use = format!("use a::{}b{};\n", "{a::".repeat(20_000), "}".repeat(20_000));
    let long_path = format!(
        "use {}b;\nfn g() {{ {}y(); }}\n",
        "a::".repeat(20_000),
        "x::".repeat(20_000)
    );
    for (p, t) in [
        ("u.rs", deep_use.as_str()),
        ("p.rs", long_path.as_str()),
        ("d.rs", deep_rs.as_str()),
        ("d.py", deep_py.as_str()),
        ("d.ts", deep_ts.as_str()),
        ("l.rs", long.as_str()),
    ] {
        run_all(p, t);
    }
}

#[test]
fn syntax_errors_give_partial_facts() {
    let l = weft_queries::languages::all()
        .support_of_path("a.rs")
        .unwrap();
    let facts = extract(
        l,
        0,
        "pub fn good() {}\nfn broken( {\npub struct AlsoGood;\n",
    );
    assert!(facts.has_errors);
    let names: Vec<&str> = facts.defs.iter().map(|d| d.name.as_str()).collect();
    assert!(names.contains(&"good"), "{names:?}");
}

/// tree-sitter-python rescans every following comment line at each one
/// (quadratic in the run's length): a definition followed by a long run
/// of comments must not stall extraction. Over its budget the parse gives
/// way to the facts of a prefix, marked as partial.
#[test]
fn a_parse_over_its_budget_gives_the_facts_of_a_prefix() {
    let line = format!("# {}\n", "x".repeat(60));
    let src = format!("def f():\n    pass\n{}", line.repeat(16_000)); // 1 MiB
    let l = weft_queries::languages::all()
        .support_of_path("a.py")
        .unwrap();
    let facts =
        weft_queries::extract::extract_within(l, 0, &src, std::time::Duration::from_millis(300));
    let upto = facts
        .parsed_up_to
        .expect("the whole file does not parse in 300 ms");
    assert!((upto as usize) < src.len() && upto > 0, "{upto}");
    assert!(facts.has_errors);
    let names: Vec<&str> = facts.defs.iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["f"]);
    // within budget, the same text parses whole
    let small = format!("def f():\n    pass\n{}", line.repeat(100));
    let facts = weft_queries::extract::extract(l, 0, &small);
    assert_eq!(facts.parsed_up_to, None);
}

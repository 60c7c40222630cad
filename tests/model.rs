//! A model of a multi-language repository (Rust, Python, TypeScript, Go,
//! Java, C#, Ruby, PHP, Kotlin, Swift, C and C++ files that import and call each other) that renders to source text and
//! takes seeded random edits of every kind a developer makes.

use std::collections::BTreeMap;

use crate::Rng;

#[derive(Clone, Copy, PartialEq, Debug)]
pub enum L {
    Rust,
    Py,
    Ts,
    Go,
    Java,
    CSharp,
    Ruby,
    Php,
    Kotlin,
    Swift,
    C,
    Cpp,
}

/// Every language of the model, for edits that pick one.
const LANGS: &[L] = &[
    L::Rust,
    L::Py,
    L::Ts,
    L::Go,
    L::Java,
    L::CSharp,
    L::C,
    L::Cpp,
];

#[derive(Clone, Debug)]
pub struct Func {
    name: String,
    params: usize,
    calls: Vec<String>,
}

#[derive(Clone, Debug)]
pub struct File {
    lang: L,
    stem: String,
    imports: Vec<String>,
    funcs: Vec<Func>,
    class: Option<String>,
    garbage: bool,
}

impl File {
    fn path(&self) -> String {
        match self.lang {
            L::Rust => format!("src/{}.rs", self.stem),
            L::Py => format!("pkg/{}.py", self.stem),
            L::Ts => format!("web/{}.ts", self.stem),
            L::Go => format!("svc/{}.go", self.stem),
            L::Java => format!("jvm/src/main/java/com/acme/{}.java", self.stem),
            L::CSharp => format!("dotnet/{}.cs", self.stem),
            L::Ruby => format!("lib/{}.rb", self.stem),
            L::Php => format!("php/{}.php", self.stem),
            L::Kotlin => format!("kt/src/main/kotlin/acme/{}.kt", self.stem),
            L::Swift => format!("Sources/App/{}.swift", self.stem),
            L::C => format!("csrc/{}.c", self.stem),
            L::Cpp => format!("cpp/{}.cpp", self.stem),
        }
    }

    pub fn render(&self) -> String {
        let mut s = String::new();
        match self.lang {
            L::Rust => {
                for i in &self.imports {
                    s += &format!("use crate::{i};\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "pub struct {c} {{ pub v: i32 }}\nimpl {c} {{\n    pub fn get(&self) -> i32 {{ self.v }}\n}}\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("p{i}: i32")).collect();
                    s += &format!("pub fn {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("    {c}();\n");
                    }
                    s += "}\n";
                }
            }
            L::Py => {
                for i in &self.imports {
                    s += &format!(
                        "from .{} import {}\n",
                        i.split("::").next().unwrap(),
                        i.split("::").nth(1).unwrap_or("x")
                    );
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c}:\n    def get(self):\n        return self.helper()\n    def helper(self):\n        return 1\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("p{i}")).collect();
                    s += &format!("def {}({}):\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("    {c}()\n");
                    }
                    s += "    return None\n";
                }
            }
            L::Ts => {
                for i in &self.imports {
                    let (m, n) = i.split_once("::").unwrap_or((i, "x"));
                    s += &format!("import {{ {n} }} from './{m}';\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "export class {c} {{ get(): number {{ return this.helper(); }} helper(): number {{ return 1; }} }}\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> =
                        (0..f.params).map(|i| format!("p{i}: number")).collect();
                    s += &format!("export function {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("  {c}();\n");
                    }
                    s += "}\n";
                }
            }
            L::Go => {
                s += "package svc\n\n";
                if let Some(c) = &self.class {
                    s += &format!(
                        "type {c} struct {{ V int }}\n\nfunc (x *{c}) Get() int {{ return x.V }}\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("p{i} int")).collect();
                    s += &format!("func {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("\t{c}()\n");
                    }
                    s += "}\n";
                }
            }
            L::Java => {
                s += "package com.acme;\n\n";
                for i in &self.imports {
                    let (m, n) = i.split_once("::").unwrap_or((i, "x"));
                    s += &format!("import static com.acme.{m}.{n};\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c} {{ int get() {{ return helper(); }} int helper() {{ return 1; }} }}\n"
                    );
                }
                s += &format!("public class {} {{\n", self.stem);
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("int p{i}")).collect();
                    s += &format!(
                        "    public static void {}({}) {{\n",
                        f.name,
                        params.join(", ")
                    );
                    for c in &f.calls {
                        s += &format!("        {c}();\n");
                    }
                    s += "    }\n";
                }
                s += "}\n";
            }
            L::CSharp => {
                s += "namespace Acme;\n\n";
                for i in &self.imports {
                    let (m, _) = i.split_once("::").unwrap_or((i, "x"));
                    s += &format!("using static Acme.{m};\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c} {{ int Get() {{ return Helper(); }} int Helper() {{ return 1; }} }}\n"
                    );
                }
                s += &format!("public static class {} {{\n", self.stem);
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("int p{i}")).collect();
                    s += &format!(
                        "    public static void {}({}) {{\n",
                        f.name,
                        params.join(", ")
                    );
                    for c in &f.calls {
                        s += &format!("        {c}();\n");
                    }
                    s += "    }\n";
                }
                s += "}\n";
            }
            L::Ruby => {
                for i in &self.imports {
                    let (m, _) = i.split_once("::").unwrap_or((i, "x"));
                    s += &format!("require_relative \"{m}\"\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c}\n  def get\n    helper\n  end\n\n  def helper\n    1\n  end\nend\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("p{i}")).collect();
                    s += &format!("def {}({})\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("  {c}\n");
                    }
                    s += "end\n";
                }
            }
            L::Php => {
                s += "<?php\nnamespace Acme;\n\n";
                for i in &self.imports {
                    let (_, n) = i.split_once("::").unwrap_or((i, "x"));
                    s += &format!("use function Acme\\{n};\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c} {{ function get() {{ return $this->helper(); }} function helper() {{ return 1; }} }}\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("int $p{i}")).collect();
                    s += &format!("function {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("    {c}();\n");
                    }
                    s += "}\n";
                }
            }
            L::Kotlin => {
                s += "package acme\n\n";
                for i in &self.imports {
                    let (_, n) = i.split_once("::").unwrap_or((i, "x"));
                    s += &format!("import acme.{n}\n");
                }
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c} {{\n    fun get(): Int = helper()\n    fun helper(): Int = 1\n}}\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("p{i}: Int")).collect();
                    s += &format!("fun {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("    {c}()\n");
                    }
                    s += "}\n";
                }
            }
            L::Swift => {
                s += "import Foundation\n\n";
                if let Some(c) = &self.class {
                    s += &format!(
                        "class {c} {{\n    func get() -> Int {{ helper() }}\n    func helper() -> Int {{ 1 }}\n}}\n"
                    );
                }
                for f in &self.funcs {
                    let params: Vec<String> =
                        (0..f.params).map(|i| format!("_ p{i}: Int")).collect();
                    s += &format!("func {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("    {c}()\n");
                    }
                    s += "}\n";
                }
            }
            L::C | L::Cpp => {
                for i in &self.imports {
                    let m = i.split("::").next().unwrap_or(i);
                    let ext = if self.lang == L::C { "c" } else { "cpp" };
                    s += &format!("#include \"{m}.{ext}\"\n");
                }
                if let Some(c) = &self.class {
                    s += &match self.lang {
                        L::C => format!(
                            "struct {c} {{ int v; }};\nint {c}_get(struct {c} *x) {{ return x->v; }}\n"
                        ),
                        _ => format!(
                            "class {c} {{\n public:\n  int get() const {{ return helper(); }}\n  int helper() const {{ return 1; }}\n}};\n"
                        ),
                    };
                }
                for f in &self.funcs {
                    let params: Vec<String> = (0..f.params).map(|i| format!("int p{i}")).collect();
                    s += &format!("void {}({}) {{\n", f.name, params.join(", "));
                    for c in &f.calls {
                        s += &format!("  {c}();\n");
                    }
                    s += "}\n";
                }
            }
        }
        if self.garbage {
            s += "fn ( { ]] def class %%% \n";
        }
        s
    }
}

pub struct Repo {
    files: Vec<File>,
    counter: usize,
}

impl Repo {
    pub fn new(rng: &mut Rng) -> Self {
        let mut r = Repo {
            files: Vec::new(),
            counter: 0,
        };
        for lang in [
            L::Rust,
            L::Rust,
            L::Rust,
            L::Py,
            L::Py,
            L::Py,
            L::Ts,
            L::Ts,
            L::Ts,
            L::Go,
            L::Go,
            L::Java,
            L::Java,
            L::CSharp,
            L::CSharp,
            L::Ruby,
            L::Ruby,
            L::Php,
            L::Php,
            L::Kotlin,
            L::Kotlin,
            L::Swift,
            L::Swift,
            L::C,
            L::C,
            L::Cpp,
            L::Cpp,
        ] {
            r.add_file(rng, lang);
        }
        r
    }

    fn fresh(&mut self, prefix: &str) -> String {
        self.counter += 1;
        format!("{prefix}{}", self.counter)
    }

    fn add_file(&mut self, rng: &mut Rng, lang: L) {
        let stem = self.fresh("m");
        let funcs = (0..1 + rng.below(3))
            .map(|_| Func {
                name: self.fresh("f"),
                params: rng.below(3),
                calls: vec![],
            })
            .collect();
        let class = (rng.below(2) == 0).then(|| self.fresh("C"));
        self.files.push(File {
            lang,
            stem,
            imports: vec![],
            funcs,
            class,
            garbage: false,
        });
    }

    /// Names a file of the same language may call: its own and other files' functions.
    fn callable(&self, lang: L) -> Vec<String> {
        self.files
            .iter()
            .filter(|f| f.lang == lang)
            .flat_map(|f| f.funcs.iter().map(|g| g.name.clone()))
            .collect()
    }

    pub fn render(&self) -> BTreeMap<String, String> {
        let mut m = BTreeMap::new();
        m.insert(
            "Cargo.toml".to_string(),
            "[package]\nname = \"fixture\"\n".to_string(),
        );
        m.insert(
            "svc/go.mod".to_string(),
            "module example.com/svc\n".to_string(),
        );
        m.insert("pkg/__init__.py".to_string(), String::new());
        let mods: Vec<String> = self
            .files
            .iter()
            .filter(|f| f.lang == L::Rust)
            .map(|f| format!("pub mod {};\n", f.stem))
            .collect();
        m.insert("src/lib.rs".to_string(), mods.concat());
        for f in &self.files {
            m.insert(f.path(), f.render());
        }
        m
    }

    pub fn edit(&mut self, rng: &mut Rng) -> &'static str {
        if self.files.is_empty() {
            self.add_file(rng, L::Rust);
            return "new file";
        }
        let i = rng.below(self.files.len());
        let lang = self.files[i].lang;
        match rng.below(10) {
            0 | 1 => {
                // body edit: add or drop a call
                let targets = self.callable(lang);
                let f = &mut self.files[i];
                let j = rng.below(f.funcs.len());
                if let Some(func) = f.funcs.get_mut(j) {
                    if !func.calls.is_empty() && rng.below(2) == 0 {
                        func.calls.pop();
                    } else if let Some(t) = rng.pick(&targets) {
                        func.calls.push(t.clone());
                    }
                }
                "body"
            }
            2 => {
                // signature edit
                let f = &mut self.files[i];
                let j = rng.below(f.funcs.len());
                if let Some(func) = f.funcs.get_mut(j) {
                    func.params = (func.params + 1) % 4;
                }
                "signature"
            }
            3 => {
                let name = self.fresh("r");
                let f = &mut self.files[i];
                let j = rng.below(f.funcs.len());
                if let Some(func) = f.funcs.get_mut(j) {
                    func.name = name;
                }
                "rename definition"
            }
            4 => {
                // add or remove an import of another same-language file's function
                let others: Vec<String> = self
                    .files
                    .iter()
                    .filter(|g| g.lang == lang && g.stem != self.files[i].stem)
                    .flat_map(|g| g.funcs.first().map(|h| format!("{}::{}", g.stem, h.name)))
                    .collect();
                let f = &mut self.files[i];
                if !f.imports.is_empty() && rng.below(2) == 0 {
                    f.imports.remove(0);
                } else if let Some(o) = rng.pick(&others)
                    && f.lang != L::Go
                {
                    f.imports.push(o.clone());
                }
                "import"
            }
            5 => {
                let name = self.fresh("f");
                let f = &mut self.files[i];
                if f.funcs.len() > 1 && rng.below(2) == 0 {
                    f.funcs.remove(rng.below(f.funcs.len()));
                } else {
                    f.funcs.push(Func {
                        name,
                        params: 0,
                        calls: vec![],
                    });
                }
                "add/remove definition"
            }
            6 => {
                let lang = *rng.pick(LANGS).unwrap();
                self.add_file(rng, lang);
                "new file"
            }
            7 => {
                self.files.remove(i);
                "delete file"
            }
            8 => {
                // a file switches language: same stem, another extension
                let to = *rng.pick(LANGS).unwrap();
                let f = &mut self.files[i];
                f.lang = to;
                f.imports.clear();
                for func in &mut f.funcs {
                    func.calls.clear();
                }
                "switch language"
            }
            _ => {
                self.files[i].garbage = !self.files[i].garbage;
                "syntax error toggled"
            }
        }
    }
}

//! Ruby: a file is a module (its key is its path); `require` finds a file
//! on the load path (each gem's `lib/` beside its `.gemspec` or
//! `Gemfile`, then the tree's `lib/` and root), `require_relative` beside
//! the requiring file. Names are not imported: constants are global.

use std::sync::Arc;

use crate::facts::Name;
use crate::inputs::SourceFile;
use crate::lang::{
    Binding, LangManifests, LangResolver, ManifestData, NAMESPACE_PREFIX, Scope, manifests_as,
};
use crate::resolve::{dir_of, join, manifest_dirs};

pub struct RubyResolver;

/// The top level as a path's first segment (`::File` is `[TOP, File]`).
pub const TOP: &str = "::";

/// The load path: each gem's `lib/` (deepest gem first), then the tree's.
#[derive(Debug, PartialEq, Default)]
struct LoadPath(Vec<String>);

impl ManifestData for LoadPath {}

/// Kernel's methods and the core classes and modules.
const CORE: &[&str] = &[
    "puts", "print", "p", "pp", "require", "require_relative", "load", "raise", "fail",
    "attr_reader", "attr_writer", "attr_accessor", "include", "extend", "prepend", "private",
    "public", "protected", "module_function", "private_constant", "private_class_method",
    "public_class_method", "define_method", "alias_method", "lambda", "proc", "loop", "format",
    "sprintf", "printf", "gets", "sleep", "rand", "srand", "catch", "throw", "block_given?",
    "binding", "caller", "exit", "abort", "at_exit", "freeze", "frozen?", "instance_variable_get",
    "instance_variable_set", "respond_to?", "send", "public_send", "method", "tap", "then",
    "Integer", "Float", "String", "Array", "Hash", "Rational", "Complex", "Object",
    "BasicObject", "Module", "Class", "Kernel", "Comparable", "Enumerable", "Enumerator",
    "Struct", "Symbol", "Numeric", "NilClass", "TrueClass", "FalseClass", "Proc", "Method",
    "Range", "Regexp", "MatchData", "Time", "File", "Dir", "IO", "Math", "Process", "Signal",
    "Thread", "Mutex", "Queue", "Fiber", "GC", "ObjectSpace", "Marshal", "Encoding", "ENV",
    "ARGV", "STDIN", "STDOUT", "STDERR", "RUBY_VERSION", "Exception", "StandardError",
    "RuntimeError", "ArgumentError", "TypeError", "NameError", "NoMethodError",
    "NotImplementedError", "KeyError", "IndexError", "StopIteration", "IOError", "Errno",
    "ScriptError", "LoadError", "ZeroDivisionError", "FrozenError", "RangeError",
    "SecurityError", "SystemExit", "Interrupt", "Set", "Data",
];

const COMMON: &[&str] = &[
    "new", "each", "each_with_index", "each_with_object", "map", "flat_map", "select", "filter",
    "reject", "find", "detect", "inject", "reduce", "sum", "count", "size", "length", "empty?",
    "any?", "all?", "none?", "include?", "key?", "fetch", "dig", "first", "last", "push", "pop",
    "shift", "unshift", "<<", "join", "split", "strip", "to_s", "to_sym", "to_i", "to_f", "to_a",
    "to_h", "to_proc", "inspect", "hash", "eql?", "==", "nil?", "is_a?", "kind_of?",
    "instance_of?", "dup", "clone", "merge", "merge!", "keys", "values", "sort", "sort_by",
    "min", "max", "min_by", "max_by", "group_by", "partition", "uniq", "compact", "flatten",
    "zip", "take", "drop", "call", "close", "read", "write", "delete", "update", "clear", "id",
    "name", "class", "upcase", "downcase", "gsub", "sub", "match", "start_with?", "end_with?",
    "chars", "bytes", "lines", "format", "times", "upto", "step", "abs", "round", "floor",
    "ceil", "succ", "tap", "then", "freeze", "to_json", "each_pair", "transform_values",
    // more of String, Array, Hash, Integer, IO and Thread: an untyped
    // receiver's call of one is no clue to a method of the tree
    "bytesize", "has_key?", "values_at", "dump", "load", "host", "port", "path", "string",
    "result", "stat", "scan", "unpack", "unpack1", "pack", "encode", "force_encoding", "b",
    "chomp", "chop", "each_line", "each_char", "ljust", "rjust", "center", "slice", "slice!",
    "sub!", "gsub!", "tr", "reverse", "index", "rindex", "insert", "concat", "replace",
    "to_str", "to_ary", "hex", "ord", "chr", "next", "pred", "zero?", "positive?",
    "negative?", "even?", "odd?", "between?", "clamp", "key", "value", "store", "each_key",
    "each_value", "select!", "reject!", "sort!", "map!", "uniq!", "compact!", "each_slice",
    "each_cons", "tally", "filter_map", "find_index", "default", "member?", "synchronize",
    "lock", "unlock", "open", "closed?", "eof?", "gets", "readline", "readlines", "puts",
    "print", "flush", "sync", "seek", "rewind", "pos", "start", "stop", "run", "shutdown",
    "wait", "kill", "exist?", "file?", "directory?", "mtime", "basename", "dirname",
    "expand_path", "downcase!", "upcase!", "capitalize", "swapcase", "strip!", "lstrip",
    "rstrip", "empty", "sum", "digest", "hexdigest", "escape", "unescape", "parse", "to_time",
    "now", "year", "month", "day", "hour", "min", "sec", "utc", "iso8601", "strftime",
    "const_get", "instance_variable_defined?", "extend", "send", "object_id", "equal?",
];

impl LangResolver for RubyResolver {
    fn manifests(&self, manifests: &[(&str, &str)], _paths: &[&str]) -> Arc<dyn LangManifests> {
        let mut roots: Vec<String> = manifest_dirs(manifests.iter().map(|(p, _)| *p))
            .iter()
            .map(|dir| join(dir, "lib"))
            .collect();
        for r in ["lib", ""] {
            if !roots.iter().any(|x| x == r) {
                roots.push(r.to_string());
            }
        }
        Arc::new(LoadPath(roots))
    }

    fn module_key(&self, path: &str, _m: &dyn LangManifests) -> Option<Name> {
        let stem = path.strip_suffix(".rb").unwrap_or(path);
        Some(format!("rb:{stem}").into())
    }

    /// Qualified names are the constants' nesting (`A::B::m`), as Ruby
    /// writes them.
    fn display_module<'a>(&self, _key: &'a str) -> &'a str {
        ""
    }

    fn resolve_module(&self, cx: &dyn Scope, from: SourceFile, spec: &str) -> Option<Binding> {
        let candidates: Vec<String> = if spec.starts_with('.') {
            vec![join(dir_of(cx.path(from)), spec)]
        } else {
            let roots = manifests_as::<LoadPath>(cx.manifests()).map_or(&[][..], |l| &l.0[..]);
            roots.iter().map(|r| join(r, spec)).collect()
        };
        for stem in candidates {
            let path = format!("{stem}.rb");
            if cx.file_at(&path).is_some() {
                return Some(Binding::Module(format!("rb:{stem}").into()));
            }
        }
        Some(Binding::External(spec.into()))
    }

    /// `::X`: the top-level namespace, whose members are the tree's
    /// top-level modules and classes, then the core's.
    fn root(&self, _cx: &dyn Scope, _from: SourceFile, first: &str) -> Option<Binding> {
        (first == TOP).then(|| Binding::Module(NAMESPACE_PREFIX.into()))
    }

    fn builtin(&self, name: &str) -> Option<&'static str> {
        CORE.contains(&name).then_some("core")
    }

    fn common_member(&self, name: &str) -> bool {
        COMMON.contains(&name)
    }

    fn implicit_members(&self) -> bool {
        true
    }

    fn reopened_types(&self) -> bool {
        true
    }

    fn global_names(&self) -> bool {
        true
    }

    fn constructor(&self) -> Option<(&'static str, &'static str)> {
        Some(("new", "initialize"))
    }
}

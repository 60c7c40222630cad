//! Stored facts round-trip: every fact type through postcard (+ zstd)
//! behind the format byte, for arbitrary values and for real extractions.

use proptest::prelude::*;
use weft_db::{Pos, Role, Span, SymbolKind};
use weft_queries::facts::{
    Def, Expr, FileFacts, ImplBlock, Import, ImportName, Inherit, Local, LocalRef, Name, Receiver,
    Ref, decode_facts, encode_facts,
};

fn name() -> impl Strategy<Value = Name> {
    "\\PC{0,10}".prop_map(Name::from)
}

fn span() -> impl Strategy<Value = Span> {
    (any::<u32>(), any::<u32>(), any::<u32>(), any::<u32>()).prop_map(|(a, b, c, d)| Span {
        start: Pos { line: a, col: b },
        end: Pos { line: c, col: d },
    })
}

fn def() -> impl Strategy<Value = Def> {
    (
        (name(), prop::sample::select(SymbolKind::ALL.to_vec())),
        prop::option::of(any::<u32>()),
        prop::option::of(name()),
        prop::option::of(any::<u32>()),
        (
            name(),
            any::<bool>(),
            "\\PC{0,40}",
            prop::option::of("\\PC{0,40}"),
        ),
        (
            span(),
            span(),
            any::<u32>(),
            prop::option::of(prop::collection::vec(name(), 1..3)),
            any::<u64>(),
        ),
    )
        .prop_map(
            |(
                (name, kind),
                container,
                owner,
                impl_block,
                (local_name, exported, signature, doc),
                (span, full_span, disambiguator, ty, body),
            )| Def {
                name,
                kind,
                container,
                owner,
                impl_block,
                local_name,
                exported,
                signature,
                doc,
                span,
                full_span,
                disambiguator,
                ty,
                body,
            },
        )
}

fn import() -> impl Strategy<Value = Import> {
    let n = (name(), prop::option::of(name()), span()).prop_map(|(name, alias, span)| ImportName {
        name,
        alias,
        span,
    });
    (
        name(),
        prop::collection::vec(n, 0..4),
        prop::option::of(name()),
        any::<bool>(),
        any::<bool>(),
        span(),
    )
        .prop_map(|(module, names, alias, glob, reexport, span)| Import {
            module,
            names,
            alias,
            glob,
            reexport,
            span,
        })
}

fn expr() -> impl Strategy<Value = Expr> {
    let path = || prop::collection::vec(name(), 1..3);
    prop_oneof![
        path().prop_map(Expr::Path),
        path().prop_map(Expr::Type),
        any::<u32>().prop_map(Expr::Call),
        (any::<u32>(), name()).prop_map(|(o, n)| Expr::Member(o, n)),
        any::<u32>().prop_map(Expr::Element),
    ]
}

fn locals() -> impl Strategy<Value = (Vec<Local>, Vec<LocalRef>)> {
    let local = (
        name(),
        span(),
        prop::option::of(any::<u32>()),
        any::<bool>(),
    )
        .prop_map(|(name, span, scope, parameter)| Local {
            name,
            span,
            scope,
            parameter,
        });
    let use_ = (
        span(),
        any::<u32>(),
        prop::sample::select(Role::ALL.to_vec()),
    )
        .prop_map(|(span, local, role)| LocalRef { span, local, role });
    (
        prop::collection::vec(local, 0..4),
        prop::collection::vec(use_, 0..6),
    )
}

fn reference() -> impl Strategy<Value = Ref> {
    (
        prop::collection::vec(name(), 0..4),
        prop_oneof![
            Just(Receiver::Path),
            Just(Receiver::Unknown),
            any::<u32>().prop_map(Receiver::Expr),
        ],
        prop::sample::select(Role::ALL.to_vec()),
        span(),
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u8>()),
    )
        .prop_map(|(path, receiver, role, span, scope, arity)| Ref {
            path,
            receiver,
            role,
            span,
            scope,
            arity,
        })
}

fn facts() -> impl Strategy<Value = FileFacts> {
    let inherit = (any::<u32>(), prop::collection::vec(name(), 0..3), span())
        .prop_map(|(sub, base, span)| Inherit { sub, base, span });
    let imp = (
        name(),
        prop::option::of(prop::collection::vec(name(), 0..3)),
        prop::option::of(span()),
        span(),
        prop::option::of(any::<u32>()),
    )
        .prop_map(
            |(self_type, trait_path, trait_span, span, container)| ImplBlock {
                self_type,
                trait_path,
                trait_span,
                span,
                container,
            },
        );
    let conditions = prop::collection::vec(
        (
            any::<u32>(),
            prop::collection::vec((".{0,12}", any::<bool>()), 0..3),
        )
            .prop_map(|(def, needs)| weft_queries::facts::Conditions { def, needs }),
        0..3,
    );
    (
        prop::collection::vec(def(), 0..6),
        prop::collection::vec(import(), 0..4),
        prop::collection::vec(reference(), 0..10),
        prop::collection::vec(inherit, 0..3),
        prop::collection::vec(imp, 0..3),
        prop::option::of(name()),
        any::<bool>(),
        prop::collection::vec(expr(), 0..6),
        prop::option::of(any::<u32>()),
        (any::<u64>(), locals(), conditions),
    )
        .prop_map(
            |(
                defs,
                imports,
                refs,
                inherits,
                impls,
                package,
                has_errors,
                exprs,
                parsed_up_to,
                (source_len, (locals, local_refs), conditions),
            )| {
                FileFacts {
                    defs,
                    imports,
                    refs,
                    inherits,
                    impls,
                    exprs,
                    locals,
                    local_refs,
                    package,
                    has_errors,
                    parsed_up_to,
                    source_len,
                    source_hash: None,
                    conditions,
                }
            },
        )
}

proptest! {
    #[test]
    fn arbitrary_facts_round_trip(f in facts()) {
        let bytes = encode_facts(&f);
        prop_assert_eq!(decode_facts(&bytes).unwrap(), f);
    }

    #[test]
    fn damaged_blobs_are_refused_not_misread(f in facts(), cut in 0usize..64, flip in any::<u8>()) {
        let mut bytes = encode_facts(&f);
        let n = bytes.len();
        bytes.truncate(n.saturating_sub(cut + 1));
        if let Some(b) = bytes.get_mut(1) { *b ^= flip | 1; }
        // zstd's checksum: damage is refused, never misread as other facts.
        prop_assert!(decode_facts(&bytes).is_err());
    }
}

#[test]
fn real_extractions_round_trip_and_another_format_is_refused() {
    let mut host = weft_queries::AnalysisHost::new();
    let mut change = weft_queries::Change::default();
    let sources = [
        (
            "a.rs",
            "use std::fmt;\n/// Doc.\npub struct S { x: u32 }\nimpl fmt::Debug for S { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { self.x.fmt(f) } }\n",
        ),
        (
            "b.py",
            "import os\nfrom .c import d as e\nclass A(B):\n    def m(self):\n        return e(os.path)\n",
        ),
        (
            "c.ts",
            "import * as ns from './d';\nexport class K extends ns.Base implements I { run() { this.go(); } }\n",
        ),
        (
            "d.go",
            "package d\nimport \"fmt\"\ntype T struct{ Inner }\nfunc (t T) Go() { fmt.Println(t) }\n",
        ),
    ];
    for (p, t) in sources {
        change.set_file(p, t);
    }
    host.apply_change(change);
    for (p, _) in sources {
        let f = host.facts(p).unwrap();
        assert!(!f.defs.is_empty() && !f.refs.is_empty(), "{p}: {f:?}");
        let bytes = encode_facts(&f);
        assert_eq!(decode_facts(&bytes).unwrap(), *f, "{p}");
        let mut other = bytes.clone();
        other[0] ^= 0x80;
        assert!(
            decode_facts(&other).is_err(),
            "{p}: another format byte is refused"
        );
    }
}

// go-oracle: reference -> definition pairs for a Go source tree, from the Go
// type checker (go/types), in the JSONL format of ../shared/bench/score.py.
//
//	go-oracle ROOT IMPORT_PATH > pairs.jsonl
//
// ROOT is a directory whose packages have import paths under IMPORT_PATH
// (for a copy of GOROOT's src/encoding/json: ROOT=json IMPORT_PATH=encoding/json).
// Every package under ROOT is checked with its in-package tests; external
// test packages (package x_test) import that tested version, as `go test`
// does. Other imports are checked from GOROOT's sources.
//
// Locals (anything declared inside a function: variables, parameters,
// results, labels, local types and constants) and package names are left
// out, like scip2jsonl --no-locals; with WEFT_ORACLE_LOCALS=1, local
// variables and parameters count (labels, local types and constants do not). A reference whose definition lies
// outside ROOT is written with "def":null.
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

type pos struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Col     int    `json:"col"`
	EndLine *int   `json:"end_line,omitempty"`
	EndCol  *int   `json:"end_col,omitempty"`
}

type pair struct {
	Ref  pos    `json:"ref"`
	Def  *pos   `json:"def"`
	Kind string `json:"kind"`
}

type oracle struct {
	root, importPath string
	fset             *token.FileSet
	std              types.ImporterFrom
	plain            map[string]*types.Package // project packages without tests
	tested           map[string]*types.Package // with in-package tests, for x_test
	conf             types.Config
}

func (o *oracle) dirOf(path string) (string, bool) {
	if path == o.importPath {
		return o.root, true
	}
	if strings.HasPrefix(path, o.importPath+"/") {
		rest := path[len(o.importPath)+1:]
		return filepath.Join(o.root, filepath.FromSlash(rest)), true
	}
	return "", false
}

func (o *oracle) Import(path string) (*types.Package, error) {
	return o.ImportFrom(path, "", 0)
}

func (o *oracle) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if d, ok := o.dirOf(path); ok {
		if p, ok := o.tested[path]; ok {
			return p, nil
		}
		if p, ok := o.plain[path]; ok {
			return p, nil
		}
		bp, err := build.ImportDir(d, 0)
		if err != nil {
			return nil, err
		}
		p, _ := o.check(path, d, bp.GoFiles, nil)
		o.plain[path] = p
		return p, nil
	}
	return o.std.ImportFrom(path, dir, mode)
}

func (o *oracle) parse(dir string, names []string) []*ast.File {
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(o.fset, filepath.Join(dir, n), nil, parser.SkipObjectResolution)
		if f != nil {
			files = append(files, f)
		} else {
			fmt.Fprintln(os.Stderr, err)
		}
	}
	return files
}

func (o *oracle) check(path, dir string, names []string, info *types.Info) (*types.Package, []*ast.File) {
	files := o.parse(dir, names)
	p, _ := o.conf.Check(path, o.fset, files, info)
	return p, files
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: go-oracle ROOT IMPORT_PATH > pairs.jsonl")
		os.Exit(2)
	}
	root, _ := filepath.Abs(os.Args[1])
	fset := token.NewFileSet()
	o := &oracle{
		root:       root,
		importPath: os.Args[2],
		fset:       fset,
		std:        importer.ForCompiler(fset, "source", nil).(types.ImporterFrom),
		plain:      map[string]*types.Package{},
		tested:     map[string]*types.Package{},
	}
	errors := 0
	o.conf = types.Config{Importer: o, Error: func(error) { errors++ }}

	var dirs []string
	filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			if n := d.Name(); p != root && (n == "testdata" || strings.HasPrefix(n, ".") || strings.HasPrefix(n, "_")) {
				return filepath.SkipDir
			}
			dirs = append(dirs, p)
		}
		return nil
	})
	sort.Strings(dirs)

	locals := os.Getenv("WEFT_ORACLE_LOCALS") == "1"
	out := json.NewEncoder(os.Stdout)
	emit := func(info *types.Info) {
		idents := make([]*ast.Ident, 0, len(info.Uses))
		for id := range info.Uses {
			idents = append(idents, id)
		}
		sort.Slice(idents, func(i, j int) bool { return idents[i].Pos() < idents[j].Pos() })
		for _, id := range idents {
			obj := info.Uses[id]
			if _, ok := obj.(*types.PkgName); ok {
				continue
			}
			if _, isVar := obj.(*types.Var); isLocal(obj) && !(locals && isVar) {
				continue
			}
			r := o.rel(id.Pos())
			if r == nil {
				continue
			}
			endLine, endCol := r.Line, r.Col+len(id.Name)
			r.EndLine, r.EndCol = &endLine, &endCol
			p := pair{Ref: *r, Kind: kindOf(obj)}
			if obj.Pkg() != nil && obj.Pos().IsValid() {
				p.Def = o.rel(obj.Pos())
			}
			out.Encode(p)
		}
	}
	newInfo := func() *types.Info {
		return &types.Info{Uses: map[*ast.Ident]types.Object{}}
	}
	for _, dir := range dirs {
		bp, err := build.ImportDir(dir, 0)
		if err != nil {
			continue // no Go files for this platform
		}
		rel, _ := filepath.Rel(root, dir)
		path := o.importPath
		if rel != "." {
			path += "/" + filepath.ToSlash(rel)
		}
		info := newInfo()
		p, _ := o.check(path, dir, append(append([]string{}, bp.GoFiles...), bp.TestGoFiles...), info)
		o.tested[path] = p
		emit(info)
		if len(bp.XTestGoFiles) > 0 {
			info := newInfo()
			o.check(path+"_test", dir, bp.XTestGoFiles, info)
			emit(info)
		}
		delete(o.tested, path) // other packages import the version without tests
	}
	fmt.Fprintf(os.Stderr, "go-oracle: %d packages, %d type errors ignored\n", len(dirs), errors)
}

// rel is a 0-based position relative to the root, or nil outside it.
func (o *oracle) rel(p token.Pos) *pos {
	at := o.fset.Position(p)
	r, err := filepath.Rel(o.root, at.Filename)
	if err != nil || strings.HasPrefix(r, "..") {
		return nil
	}
	return &pos{File: filepath.ToSlash(r), Line: at.Line - 1, Col: at.Column - 1}
}

func isLocal(obj types.Object) bool {
	switch obj.(type) {
	case *types.Label:
		return true
	}
	s := obj.Parent()
	return s != nil && s != types.Universe && obj.Pkg() != nil && s != obj.Pkg().Scope()
}

func kindOf(obj types.Object) string {
	switch o := obj.(type) {
	case *types.Func:
		if o.Type().(*types.Signature).Recv() != nil {
			return "method"
		}
		return "call"
	case *types.Var:
		if o.IsField() {
			return "field"
		}
		return "var"
	case *types.TypeName:
		return "type"
	case *types.Const:
		return "const"
	}
	return "other"
}

"""A real MCP client (the official Python SDK) driving weft's MCP server.

Run by crates/cli/tests/mcp.rs in a venv of its own:

    client.py stdio WEFT REPO MODE [ARGS...]   # launch `WEFT ARGS...` in REPO
    client.py http URL REPO MODE EDITS         # streamable HTTP at URL
    client.py shared WEFT REPO                 # two stdio clients at once
    client.py survive WEFT REPO                # the daemon killed mid-session

MODE is the SDK's connect mode: `auto` (2026-07-28, stateless, when the
server offers it) or `legacy` (the initialize handshake). Every check
raises with what it saw; the last line printed is `ok` on success.
"""

import asyncio
import re
import sys
import time
from pathlib import Path

from mcp import Client
from mcp.client.stdio import StdioServerParameters

DEFAULT_TOOLS = [
    "search", "explain", "refs", "callers", "callees",
    "impact", "context", "grep", "outline", "diff", "conflicts",
]
STATUS = re.compile(r"^\[weft revision (\d+): ")


def text(result):
    assert result.content, f"no content: {result}"
    return result.content[0].text


def revision(t):
    for line in t.splitlines():
        m = STATUS.match(line)
        if m:
            return int(m.group(1))
    raise AssertionError(f"no revision line in:\n{t}")


def body(t):
    """An answer without the lines weft adds to every page."""
    return [line for line in t.splitlines()
            if not STATUS.match(line) and not line.startswith("[cut at line")]


async def ok(c, tool, args, *expect):
    r = await c.call_tool(tool, args)
    t = text(r)
    assert not r.is_error, f"{tool} {args} failed: {t}"
    revision(t)
    for e in expect:
        assert e in t, f"{tool} {args}: no {e!r} in:\n{t}"
    return t


async def error(c, tool, args, expect):
    r = await c.call_tool(tool, args)
    t = text(r)
    assert r.is_error, f"{tool} {args} should be a tool error, got:\n{t}"
    assert expect in t, f"{tool} {args}: no {expect!r} in the error:\n{t}"


async def every_tool(c):
    tools = (await c.list_tools()).tools
    names = [t.name for t in tools]
    assert names == DEFAULT_TOOLS, names
    for t in tools:
        props = t.input_schema["properties"]
        assert "cursor" in props and "max_tokens" in props, t.name
        assert len(t.description) > 40, t.name

    await ok(c, "search", {"q": "total"}, "price::total", "src/price.rs")
    await ok(c, "explain", {"target": "total"}, "pub fn total(xs: &[u32]) -> u32",
             "source (src/price.rs)", "callers", "Cart::sum")
    await ok(c, "refs", {"target": "total"}, "src/cart.rs:8")
    await ok(c, "callers", {"target": "total", "depth": 2}, "Cart::sum", "checkout")
    await ok(c, "callees", {"target": "checkout"}, "Cart::sum")
    await ok(c, "impact", {"target": "src/price.rs"}, "src/cart.rs")
    await ok(c, "context", {"target": "total"}, "total")
    await ok(c, "grep", {"pattern": "total($$$ARGS)", "lang": ["rust"]},
             "src/cart.rs:8:9:", "(in method shop::cart::Cart::sum)")
    await ok(c, "outline", {"file": "src/cart.rs"}, "struct Cart", "method sum")
    await ok(c, "diff", {"from": "HEAD"}, "symbol change")
    await ok(c, "conflicts", {"a": "left", "b": "right"}, "tier 1", "total")


async def bad_input(c):
    await error(c, "refs", {"target": "nope"}, "no symbol or file matches `nope`")
    await error(c, "callers", {"target": "total", "depth": "x"}, "depth")
    await error(c, "callers", {"target": "total", "bogus": 1}, "no argument `bogus`")
    await error(c, "search", {"q": "total", "cursor": "what"}, "is not a cursor")
    await error(c, "explain", {}, "needs a `target`")
    await error(c, "grep", {"pattern": "fn (", "lang": ["rust"]}, "is not code of rust")


async def pages(c):
    """A budget cut offers a cursor; following the cursors gives the whole
    answer, each line once."""
    whole = await ok(c, "outline", {"file": "src/many.rs", "max_tokens": 20000})
    assert "[cut at line" not in whole, whole[-300:]
    seen, args, n = [], {"file": "src/many.rs", "max_tokens": 300}, 0
    while True:
        r = await c.call_tool("outline", args)
        t = text(r)
        assert not r.is_error, t
        seen += body(t)
        n += 1
        m = re.search(r'cursor "([0-9]+:[0-9]+)"', t)
        if not m:
            break
        assert r.meta["weft/nextCursor"] == m.group(1), r.meta
        args = dict(args, cursor=m.group(1))
    assert n > 3, f"{n} pages"
    assert seen == body(whole), "the pages are not the whole answer"


async def pending_then_applied(c, repo):
    """An edit on disk shows as pending (the server debounces 1.5 s), then
    applied, with a new revision and the new definition."""
    before = await ok(c, "outline", {"file": "src/price.rs"})
    r0 = revision(before)
    path = Path(repo) / "src/price.rs"
    path.write_text(path.read_text() + "\npub fn extra() -> u32 { 1 }\n")
    deadline = time.time() + 5
    while True:
        t = await ok(c, "outline", {"file": "src/price.rs"})
        if "not applied yet" in t:
            assert "src/price.rs" in t and "extra" not in "\n".join(body(t)), t
            break
        assert time.time() < deadline, f"the edit never showed as pending:\n{t}"
        await asyncio.sleep(0.05)
    deadline = time.time() + 15
    while True:
        t = await ok(c, "outline", {"file": "src/price.rs"})
        if "every change on disk is applied" in t and "function extra" in t:
            assert revision(t) > r0, t
            break
        assert time.time() < deadline, f"the edit was never applied:\n{t}"
        await asyncio.sleep(0.1)


async def session(server, repo, mode, edits):
    async with Client(server, mode=mode) as c:
        await every_tool(c)
        await bad_input(c)
        await pages(c)
        if edits:
            await pending_then_applied(c, repo)
        return c.protocol_version


async def shared(weft, repo):
    """Two agents at once through `weft mcp`: one daemon answers both."""
    def params():
        return StdioServerParameters(command=weft, args=["mcp"], cwd=repo)
    async with Client(params()) as a, Client(params()) as b:
        ta, tb = await asyncio.gather(
            ok(a, "callers", {"target": "total", "depth": 2}, "checkout"),
            ok(b, "callers", {"target": "total", "depth": 2}, "checkout"),
        )
        assert body(ta) == body(tb), (ta, tb)


async def survive(weft, repo):
    """The daemon is killed mid-session: the next call starts another."""
    import json, os, signal, socket
    note = Path(repo) / ".weft/daemon.json"
    params = StdioServerParameters(command=weft, args=["mcp", "--idle-exit", "3"], cwd=repo)
    async with Client(params) as c:
        await ok(c, "callers", {"target": "total"}, "Cart::sum")
        first = json.loads(note.read_text())
        os.kill(first["pid"], signal.SIGKILL)
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                socket.socket(socket.AF_UNIX).connect(first["socket"])
            except OSError:
                break
            await asyncio.sleep(0.02)
        await ok(c, "callers", {"target": "total"}, "Cart::sum")
        second = json.loads(note.read_text())
        assert second["pid"] != first["pid"], (first, second)
    print(f"daemon {second['pid']}")


def main():
    kind = sys.argv[1]
    if kind == "stdio":
        weft, repo, mode, *args = sys.argv[2:]
        server = StdioServerParameters(command=weft, args=args, cwd=repo)
        version = asyncio.run(session(server, repo, mode, "--debounce-ms" in args))
    elif kind == "http":
        url, repo, mode, edits = sys.argv[2:]
        version = asyncio.run(session(url, repo, mode, edits == "edits"))
    elif kind == "survive":
        weft, repo = sys.argv[2:]
        asyncio.run(survive(weft, repo))
        version = "-"
    elif kind == "shared":
        weft, repo = sys.argv[2:]
        asyncio.run(shared(weft, repo))
        version = "-"
    else:
        raise SystemExit(f"unknown kind {kind}")
    print(f"protocol {version}")
    print("ok")


if __name__ == "__main__":
    main()

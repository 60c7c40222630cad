"""MCP tool-call latency as an agent sees it: the official Python SDK
(`pip install mcp==2.3.0`) calls `callers` and `impact` (depth 3) 200 times
each through `weft mcp` (the repository's daemon) and `weft mcp
--no-daemon`, p50 and p95 per call, JSON-RPC and the SDK included.

    python benches/mcp_latency.py WEFT REPO IDS_FILE

IDS_FILE holds symbol ids, one per line (`weft symbols "" --kind function
--json` gives them). REPO needs a snapshot (`weft index`). Stop the daemon
afterwards with `weft daemon stop`.
"""
import asyncio, sys, time, json
from mcp import Client
from mcp.client.stdio import StdioServerParameters
async def main(weft, repo, ids):
    results = {}
    for mode, args in [("daemon", ["mcp"]), ("in-process", ["mcp", "--no-daemon"])]:
        p = StdioServerParameters(command=weft, args=args, cwd=repo)
        t0 = time.perf_counter()
        async with Client(p) as c:
            start = time.perf_counter() - t0
            for tool, extra in [("callers", {}), ("impact", {"depth": 3})]:
                ts = []
                for k in range(200):
                    t = time.perf_counter()
                    r = await c.call_tool(tool, dict(target=ids[k % len(ids)], **extra))
                    ts.append((time.perf_counter() - t) * 1000)
                    assert not r.is_error, r.content[0].text
                ts.sort()
                results[f"{tool}_{mode}"] = {"p50_ms": round(ts[100], 2), "p95_ms": round(ts[190], 2)}
            results[f"session_start_{mode}_s"] = round(start, 2)
    print(json.dumps(results))
ids = open(sys.argv[3]).read().split()
asyncio.run(main(sys.argv[1], sys.argv[2], ids))

-- Neovim's own LSP client against `weft lsp`, headless. Run by
-- crates/cli/tests/lsp.rs: WEFT (the binary), ROOT (a repository), OUT
-- (where to write what the client got, as JSON).
local weft, root, outpath = os.getenv("WEFT"), os.getenv("ROOT"), os.getenv("OUT")
local out = {}

local id = vim.lsp.start_client({
  cmd = { weft, "lsp" },
  cmd_cwd = root,
  root_dir = root,
  name = "weft",
  flags = { debounce_text_changes = 0 },
})
vim.cmd("edit " .. root .. "/src/cart.rs")
local buf = vim.api.nvim_get_current_buf()
vim.lsp.buf_attach_client(buf, id)
local client = vim.lsp.get_client_by_id(id)
out.initialized = vim.wait(20000, function()
  return client.server_capabilities ~= nil and next(client.server_capabilities) ~= nil
end, 20)

local function request(method, params)
  local res = vim.lsp.buf_request_sync(buf, method, params, 10000)
  if not res then return nil end
  for _, r in pairs(res) do
    if r.error then return { error = r.error.message } end
    return r.result
  end
end

local function at(line, col)
  return { textDocument = { uri = vim.uri_from_bufnr(buf) }, position = { line = line, character = col } }
end

local function ref_lines(result)
  local lines = {}
  for _, loc in ipairs(result or {}) do
    table.insert(lines, vim.uri_to_fname(loc.uri):sub(#root + 2) .. ":" .. loc.range.start.line)
  end
  table.sort(lines)
  return lines
end

-- `total` in `total(&self.items)`, line 8 (0-based 7), column 8
out.definition = request("textDocument/definition", at(7, 8))
local refs_params = at(7, 8)
refs_params.context = { includeDeclaration = false }
out.references = ref_lines(request("textDocument/references", refs_params))

-- `c` in `Cart::sum(c)`, line 13 (0-based 12), column 14: a parameter
out.local_definition = request("textDocument/definition", at(12, 14))
local local_refs = at(12, 14)
local_refs.context = { includeDeclaration = true }
out.local_references = ref_lines(request("textDocument/references", local_refs))

-- an unsaved edit: two lines on top and a new caller at the end
vim.api.nvim_buf_set_lines(buf, 0, 0, false, { "// edited", "" })
vim.api.nvim_buf_set_lines(buf, -1, -1, false, { "pub fn again() -> u32 { total(&[]) }" })
vim.wait(300)
out.definition_after_edit = request("textDocument/definition", at(9, 8))
local after = at(9, 8)
after.context = { includeDeclaration = false }
out.references_after_edit = ref_lines(request("textDocument/references", after))

vim.fn.writefile({ vim.fn.json_encode(out) }, outpath)
vim.lsp.stop_client(id)
vim.wait(2000, function() return vim.lsp.client_is_stopped(id) end, 20)
vim.cmd("qa!")

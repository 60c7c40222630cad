// Drives Debian's Chromium through weft's explorer with Playwright, for
// crates/cli/tests/ui.rs: every view of a fixture repository, an edit on
// disk while a page is open, bad addresses; and Mermaid's own parser and
// renderer on `weft graph --format mermaid` output.
//
//   node explore.cjs explorer BASE_URL REPO_DIR SCREENSHOT_DIR
//   node explore.cjs mermaid FILE...
//   node explore.cjs readme BASE_URL OUT_DIR TARGET
//
// Prints one line per check; exits 1 when any fails.

const fs = require('fs');
const path = require('path');
const modules = path.resolve(process.env.WEFT_NODE_MODULES || 'node_modules');
const { chromium } = require(path.join(modules, 'playwright-core'));

const failures = [];
function check(name, ok, detail) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${ok || !detail ? '' : ': ' + detail}`);
  if (!ok) failures.push(name);
}

async function browser() {
  return chromium.launch({
    executablePath: process.env.WEFT_CHROMIUM || '/usr/bin/chromium',
    // this machine's network is closed: no background connections
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

async function view(page, url) {
  await page.goto(url);
  await page.waitForSelector('main[data-ready]', { timeout: 20000 });
}

const text = (page, sel) => page.locator(sel).allInnerTexts().then((t) => t.join('\n'));

async function explorer(base, repo, shots) {
  const b = await browser();
  const page = await b.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  // (a 404 or 400 answer is logged as an error too: the bad addresses below ask for those)
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  const shot = (name) => page.screenshot({ path: path.join(shots, name + '.png'), fullPage: true });

  await view(page, base + '/ui/');
  check('home shows the counts', /\d+ files, \d+ symbols/.test(await text(page, 'main')));
  await shot('home');

  // search by name, through the form
  await page.fill('#search input', 'total');
  await page.press('#search input', 'Enter');
  await page.waitForURL(/\/ui\/search\?q=total/);
  await page.waitForSelector('main[data-ready] [data-section="by"] li');
  check('search lists the symbol', (await text(page, 'main')).includes('total'));
  await page.click('main a:has-text("total")');
  await page.waitForURL(/\/ui\/symbol\//);
  await page.waitForSelector('main[data-ready] .symbol-name');

  // the symbol page
  await view(page, base + '/ui/symbol/total');
  const callers = await text(page, '[data-section="callers"]');
  check('symbol page lists the callers', callers.includes('sum'), callers);
  check('symbol page shows the source', (await text(page, '[data-section="source"]')).includes('xs.iter().sum()'));
  check('symbol page lists references', (await text(page, '[data-section="references"]')).includes('src/cart.rs'));
  check('the graph is drawn', (await page.locator('.canvas canvas').count()) > 0);
  check('the graph is also a list', (await page.locator('.graph-node').allTextContents()).some((t) => t.includes('sum')));
  await page.locator('.canvas').first().screenshot({ path: path.join(shots, 'symbol-graph.png') });
  await shot('symbol');

  // a node chosen from the list (the keyboard's way) expands: its own callers join the drawing
  await page.click('details.as-list summary');
  await page.click('.graph-node button:has-text("shop::cart::Cart::sum")');
  await page.click('.panel button:has-text("Expand")');
  let expanded = false;
  for (let i = 0; i < 50 && !expanded; i++) {
    await page.waitForTimeout(100);
    expanded = (await page.locator('.graph-node').allTextContents()).some((t) => t.includes('shop::cart::checkout'));
  }
  check('a node chosen from the list expands', expanded);
  check('an expanded node cannot be expanded twice', await page.locator('.panel button:has-text("Expand")').isDisabled());

  // an edit on disk shows up on the open page
  fs.writeFileSync(path.join(repo, 'src/extra.rs'), 'pub fn double_total(xs: &[u32]) -> u32 {\n    crate::price::total(xs) * 2\n}\n');
  fs.writeFileSync(path.join(repo, 'src/lib.rs'), 'pub mod cart;\npub mod price;\npub mod extra;\n');
  let seen = false;
  for (let i = 0; i < 100 && !seen; i++) {
    await page.waitForTimeout(200);
    seen = (await text(page, '[data-section="callers"]')).includes('double_total');
  }
  check('an edit on disk shows up on the open page', seen);
  check('the redrawn page keeps what was expanded', (await page.locator('.graph-node').allTextContents()).some((t) => t.includes('shop::cart::checkout')));
  check('the page names the new revision', /revision [1-9]/.test(await text(page, '#live')));

  // a neighbourhood over the cap is cut, and the page says so
  const many = Array.from({ length: 45 }, (_, i) => `pub fn caller_${i}(xs: &[u32]) -> u32 {\n    crate::price::total(xs)\n}\n`).join('');
  fs.writeFileSync(path.join(repo, 'src/many.rs'), many);
  fs.writeFileSync(path.join(repo, 'src/lib.rs'), 'pub mod cart;\npub mod price;\npub mod extra;\npub mod many;\n');
  let note = '';
  for (let i = 0; i < 100 && !note.includes('left out'); i++) {
    await page.waitForTimeout(200);
    note = await text(page, '.graph .note');
  }
  check('a big neighbourhood is capped with a note', /\d+ nodes and \d+ edges were left out/.test(note), note);
  const heading = await text(page, '[data-section="callers"] h2');
  check('the callers count includes those not drawn', heading.includes('Callers (47)'), heading);

  // the file page
  await view(page, base + '/ui/file/src/cart.rs');
  const outline = await text(page, '[data-section="outline"]');
  check('file page shows the outline', outline.includes('Cart') && outline.includes('checkout'), outline);
  check('file page shows imports', (await text(page, '[data-section="imports"]')).includes('src/price.rs'));
  await shot('file');

  // impact
  await view(page, base + '/ui/impact/total');
  const affected = await text(page, '[data-section="affected"]');
  check('impact lists the affected files', affected.includes('src/cart.rs') && affected.includes('src/extra.rs'), affected);
  await shot('impact');

  // the module map and the cycles
  await view(page, base + '/ui/modules');
  check('module map lists the files', (await page.locator('.graph-node').allTextContents()).some((t) => t.includes('src/cart.rs')));
  await page.waitForTimeout(300);
  await shot('modules');
  await view(page, base + '/ui/modules?path=' + encodeURIComponent('web/[slug]/'));
  const inside = await page.locator('.graph-node').allTextContents();
  check('a folder named like a glob opens as itself', inside.length === 1 && inside[0].includes('web/[slug]/page.ts'), inside.join('; '));
  await view(page, base + '/ui/cycles');
  const cycles = await text(page, 'li.cycle');
  check('cycles lists the TypeScript cycle', cycles.includes('web/a.ts') && cycles.includes('web/b.ts'), cycles);
  await shot('cycles');

  // conflicts between two branches
  await view(page, base + '/ui/conflicts/left/right');
  await page.waitForSelector('.done', { timeout: 60000 });
  const tiers = await text(page, '.tiers');
  check('conflicts are predicted', /[1-9]\d* predicted conflicts/.test(tiers) && tiers.includes('total'), tiers);
  await shot('conflicts');

  // bad addresses
  await view(page, base + '/ui/symbol/no_such_symbol_anywhere');
  check('an unknown target says so', (await text(page, 'h1')).includes('Not found'));
  await view(page, base + '/ui/symbol/tota');
  const near = await text(page, 'main');
  check('an unknown target lists candidates', near.includes('Not found') && near.includes('total'), near);
  await shot('not-found');
  await view(page, base + '/ui/file/..%2F..%2F..%2Fetc%2Fpasswd');
  const outside = await text(page, 'main');
  check('nothing outside the root is shown', outside.includes('Not found') && !outside.includes('root:'), outside);
  await view(page, base + '/ui/symbol/%zz');
  check('a malformed address says what it could not find', (await text(page, 'h1')).includes('Not found'));
  await view(page, base + '/ui/no/such/view');
  check('an unknown view says so', (await text(page, 'h1')).includes('No such page'));

  // next to a replica: what only weft serve answers is a 501 there
  const notServed = /\/v1\/(graph|context|cycles)\b/;
  await page.route(notServed, (r) => r.fulfill({
    status: 501,
    contentType: 'application/json',
    body: JSON.stringify({ error: { status: 501, message: 'it walks the whole graph: `weft serve` answers it, a replica does not' } }),
  }));
  await view(page, base + '/ui/symbol/total');
  check('beside a replica, a symbol page lists the callers', (await text(page, '[data-section="callers"]')).includes('sum'));
  check('beside a replica, a symbol page draws them', (await page.locator('.graph-node').allTextContents()).some((t) => t.includes('Cart::sum')));
  await view(page, base + '/ui/file/src/cart.rs');
  check('beside a replica, a file page draws its imports', (await page.locator('.graph-node').allTextContents()).some((t) => t.includes('src/price.rs')));
  await view(page, base + '/ui/impact/total');
  check('beside a replica, impact lists the affected files', (await text(page, '[data-section="affected"]')).includes('src/cart.rs'));
  await view(page, base + '/ui/cycles');
  check('beside a replica, cycles say why they are missing', (await text(page, 'main')).includes('a replica does not'));
  await page.unroute(notServed);

  check('no script errors', errors.length === 0, errors.join('; '));
  await b.close();
}

async function mermaid(files) {
  const b = await browser();
  const page = await b.newPage();
  await page.setContent('<!doctype html><body></body>');
  await page.addScriptTag({ path: path.join(modules, 'mermaid/dist/mermaid.min.js') });
  await page.evaluate(() => globalThis.mermaid.initialize({ startOnLoad: false }));
  for (const f of files) {
    const src = fs.readFileSync(f, 'utf8');
    const r = await page.evaluate(async (src) => {
      try {
        await globalThis.mermaid.parse(src);
        const { svg } = await globalThis.mermaid.render('g' + Math.random().toString(36).slice(2), src);
        return { ok: svg.includes('<svg'), svg: svg.length };
      } catch (e) {
        return { ok: false, error: String(e && e.message ? e.message : e) };
      }
    }, src);
    check(`mermaid parses and renders ${path.basename(f)}`, r.ok, r.error);
  }
  await b.close();
}

// The README's pictures: a symbol page and the module map of whatever
// repository BASE serves (docs/PICTURES.md says how to remake them).
async function readme(base, out, target) {
  const b = await browser();
  const page = await b.newPage({ viewport: { width: 1280, height: 860 } });
  await view(page, base + '/ui/symbol/' + encodeURIComponent(target));
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, 'ui-symbol.png') });
  check('symbol page', true);
  await page.setViewportSize({ width: 1280, height: 1120 });
  await view(page, base + '/ui/modules');
  await page.waitForTimeout(500);
  await page.screenshot({ path: path.join(out, 'ui-modules.png') });
  check('module map', true);
  await b.close();
}

(async () => {
  const [what, ...args] = process.argv.slice(2);
  if (what === 'explorer') await explorer(...args);
  else if (what === 'mermaid') await mermaid(args);
  else if (what === 'readme') await readme(...args);
  else throw new Error('usage: explore.cjs explorer BASE REPO SHOTS | mermaid FILE... | readme BASE OUT_DIR TARGET');
  process.exit(failures.length ? 1 : 0);
})().catch((e) => {
  console.log('FAIL ' + (e.stack || e));
  process.exit(1);
});

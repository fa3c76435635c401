// Drives the embedded backend with real JS peers (tier 4 of DESIGN.md):
// the `ws` package speaking the protocol by hand, to see the close code a
// Node/browser-style client reports, and the `convex` npm client itself.
// Run by TestRealJSClient with AUTHSCOPE_NODE_MODULES pointing at a folder
// where `npm install ws convex@1.48.0` was run. Prints one JSON object.
const path = require("node:path");
const { createRequire } = require("node:module");
const req = createRequire(path.join(process.env.AUTHSCOPE_NODE_MODULES, "package.json"));
const WebSocket = req("ws");
const { ConvexClient } = req("convex/browser");
const { anyApi } = req("convex/server");

const url = process.env.DEPLOYMENT_URL;

function raw(token) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/1.48.0/sync");
    const msgs = [];
    const timer = setTimeout(() => resolve({ msgs, code: -1, reason: "timeout" }), 10000);
    ws.on("open", () => {
      ws.send(JSON.stringify({ type: "Connect", sessionId: crypto.randomUUID(), connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: Date.now() }));
      ws.send(JSON.stringify({ type: "Authenticate", tokenType: "User", value: token, baseVersion: 0 }));
      ws.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [] }));
    });
    ws.on("message", (d) => {
      const m = JSON.parse(d.toString());
      msgs.push(m);
      if (m.type === "Transition") ws.close(1000);
    });
    ws.on("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ msgs, code, reason: reason.toString() });
    });
  });
}

async function client(token) {
  const logged = [];
  const keep = { error: console.error, warn: console.warn, log: console.log };
  console.error = (...a) => logged.push("error: " + a.join(" "));
  console.warn = (...a) => logged.push("warn: " + a.join(" "));
  console.log = (...a) => logged.push("log: " + a.join(" "));
  const c = new ConvexClient(url, { webSocketConstructor: WebSocket, unsavedChangesWarning: false });
  try {
    const authed = await Promise.race([
      new Promise((resolve) => c.setAuth(async () => token, (isAuthenticated) => resolve(isAuthenticated))),
      new Promise((resolve) => setTimeout(() => resolve("timeout"), 10000)),
    ]);
    let identity = null;
    if (authed === true) identity = await c.query(anyApi.authscope.whoami, {});
    return { authed, identity, logged };
  } finally {
    await c.close();
    Object.assign(console, keep);
  }
}

(async () => {
  const out = {
    rawBad: await raw(process.env.BAD_TOKEN),
    rawGood: await raw(process.env.GOOD_TOKEN),
    clientGood: await client(process.env.GOOD_TOKEN),
    clientBad: await client(process.env.BAD_TOKEN),
  };
  process.stdout.write(JSON.stringify(out));
  process.exit(0);
})();

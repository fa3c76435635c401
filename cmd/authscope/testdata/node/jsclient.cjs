// Drives the embedded backend with the real `convex` npm client (and, for
// the close code, with the `ws` package speaking the protocol by hand).
// Run by TestRealJSClient after `npm ci` in this folder; the versions are
// pinned in package.json and package-lock.json.
//
// Input, from the environment only (tokens are bearer credentials and never
// touch the disk):
//   DEPLOYMENT_URL            the backend, http://127.0.0.1:<port>
//   AUTHSCOPE_JSCLIENT_CASES  JSON array of cases, run one after another:
//     {"name": "...", "mode": "client" | "raw", "tokens": ["<jwt>", ...],
//      "whoami": "file:export" (optional), "timeoutMs": 8000,
//      "waitChanges": 1, "verbose": false}
//     In "client" mode, fetchToken answers call i with tokens[min(i, n-1)],
//     so one token means "Clerk hands back the same token every time" and
//     several mean "a fresh token on every forced refresh", as Clerk's
//     getToken({skipCache: true}) does. The case waits (up to timeoutMs)
//     for waitChanges onChange calls, then runs the whoami query if the
//     first call said true, then closes the client.
//     In "raw" mode, tokens[0] is sent in a hand-made Connect/Authenticate/
//     ModifyQuerySet and every message and the close are recorded.
//
//   AUTHSCOPE_JSCLIENT_BUDGET_MS  total time for all cases (default 20000): a
//     case gets at most what is left, and cases past it are reported as
//     timed out without running, so a hung backend still yields a report
//     before the Go test's own deadline.
//
// Output: one JSON array on stdout, one result per case. Console output of
// the client is captured per case (the cases run one at a time because
// console is global), so nothing else reaches stdout.
"use strict";

const WebSocket = require("ws");
const { ConvexClient } = require("convex/browser");
const { anyApi } = require("convex/server");

const url = process.env.DEPLOYMENT_URL;
const cases = JSON.parse(process.env.AUTHSCOPE_JSCLIENT_CASES || "[]");
const deadline = Date.now() + Number(process.env.AUTHSCOPE_JSCLIENT_BUDGET_MS || 20000);

// timeoutOf is the case's own timeout, cut to what is left of the budget.
function timeoutOf(c) {
  return Math.max(0, Math.min(c.timeoutMs || 8000, deadline - Date.now()));
}

// captureConsole swaps console.{error,warn,log,info,debug} for recorders and
// returns the lines and a function that puts the originals back.
function captureConsole() {
  const lines = [];
  const saved = {};
  for (const level of ["error", "warn", "log", "info", "debug"]) {
    saved[level] = console[level];
    console[level] = (...args) =>
      lines.push({ level, text: args.map((a) => (typeof a === "string" ? a : String(a))).join(" ") });
  }
  return { lines, restore: () => Object.assign(console, saved) };
}

function withTimeout(promise, ms) {
  let timer;
  const timeout = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function runClient(c) {
  const started = Date.now();
  const timeoutMs = timeoutOf(c);
  const fetches = [];
  const authChanges = [];
  let identity;
  let queryError;
  const con = captureConsole();
  const client = new ConvexClient(url, {
    webSocketConstructor: WebSocket,
    unsavedChangesWarning: false,
    // verbose adds the client's console.debug trace of its auth states.
    verbose: c.verbose === true,
  });
  let timedOut = false;
  try {
    // The first onChange call is the verdict; the case goes on until
    // waitChanges calls have come, and any later ones are recorded too, up
    // to the moment the client is closed.
    const waitChanges = c.waitChanges || 1;
    let settled;
    const verdict = new Promise((resolve) => {
      settled = resolve;
    });
    client.setAuth(
      async ({ forceRefreshToken }) => {
        fetches.push({ forceRefreshToken });
        return c.tokens[Math.min(fetches.length - 1, c.tokens.length - 1)];
      },
      (isAuthenticated) => {
        authChanges.push(isAuthenticated);
        if (authChanges.length === waitChanges) settled(authChanges[0]);
      },
    );
    const first = await withTimeout(verdict, timeoutMs);
    timedOut = first && first.timedOut === true;
    if (first === true && c.whoami) {
      const [file, fn] = c.whoami.split(":");
      const q = await withTimeout(
        client.query(anyApi[file][fn], {}).then(
          (v) => ({ value: v }),
          (e) => ({ error: String(e && e.message ? e.message : e) }),
        ),
        timeoutMs,
      );
      if (q.timedOut) timedOut = true;
      identity = q.value;
      queryError = q.error;
    }
  } finally {
    await withTimeout(client.close(), 2000);
    con.restore();
  }
  return { name: c.name, authChanges, fetches, console: con.lines, identity, queryError, timedOut, ms: Date.now() - started };
}

function runRaw(c) {
  const started = Date.now();
  return new Promise((resolve) => {
    const ws = new WebSocket(url.replace(/^http/, "ws") + "/api/1.48.0/sync");
    const msgs = [];
    const timer = setTimeout(() => {
      ws.terminate();
      resolve({ name: c.name, msgs, closeCode: -1, closeReason: "", timedOut: true, ms: Date.now() - started });
    }, timeoutOf(c));
    ws.on("open", () => {
      ws.send(JSON.stringify({ type: "Connect", sessionId: crypto.randomUUID(), connectionCount: 0, lastCloseReason: "InitialConnect", clientTs: Date.now() }));
      ws.send(JSON.stringify({ type: "Authenticate", tokenType: "User", value: c.tokens[0], baseVersion: 0 }));
      ws.send(JSON.stringify({ type: "ModifyQuerySet", baseVersion: 0, newVersion: 1, modifications: [] }));
    });
    ws.on("message", (d) => {
      let m;
      try {
        m = JSON.parse(d.toString());
      } catch (e) {
        m = { unparsed: d.toString().slice(0, 200) };
      }
      msgs.push(m);
      if (m.type === "Transition") ws.close(1000);
    });
    ws.on("error", (e) => msgs.push({ wsError: String(e.message) }));
    ws.on("close", (code, reason) => {
      clearTimeout(timer);
      resolve({ name: c.name, msgs, closeCode: code, closeReason: reason.toString(), timedOut: false, ms: Date.now() - started });
    });
  });
}

(async () => {
  const out = [];
  for (const c of cases) {
    if (Date.now() >= deadline) {
      out.push({ name: c.name, timedOut: true, scriptError: "not run: AUTHSCOPE_JSCLIENT_BUDGET_MS used up" });
      continue;
    }
    try {
      out.push(c.mode === "raw" ? await runRaw(c) : await runClient(c));
    } catch (e) {
      out.push({ name: c.name, scriptError: String(e && e.stack ? e.stack : e) });
    }
  }
  process.stdout.write(JSON.stringify(out));
  // The client may leave timers behind (reconnect backoff); they are not
  // part of the result.
  process.exit(0);
})().catch((e) => {
  process.stderr.write(String(e && e.stack ? e.stack : e));
  process.exit(2);
});

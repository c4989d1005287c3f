// The peer: a minimal Node.js socket.io v4 server doing what facilitator does for the load run.
//
// Ballots are kept in memory (one per phone, a changed vote replaces the old one), every request
// is acknowledged, and a coalesced snapshot {seq, present, poll: {id, status, voters, totals}} is
// broadcast to every phone at most once per 100 ms (the first change at once), encoded once per
// broadcast by socket.io. A join, a ballot and a moderator command each change the snapshot, as
// they do in facilitator. Nothing is stored on disk; no deflate (socket.io's default).
//
// It speaks to the same generator (phones.py) and driver as facilitator: /participant with
// join, check_in and vote; /moderator with command (OpenPoll opens the poll, anything else only
// changes the snapshot) and sync. The loop-lag sampler and the ready file are facilitator's.
//
//     node bench/load/peer.js --ready-file /tmp/ready.json [--port 0]
"use strict";

const fs = require("node:fs");
const http = require("node:http");
const { Server } = require("socket.io");

const INTERVAL_MS = 100;
const CHOICES = ["yes", "no", "abstain"];
const TOKEN = "peer-moderator";

function argument(name, fallback) {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

class Room {
  constructor(io) {
    this.io = io;
    this.seq = 1;
    this.present = 0;
    this.pollOpen = false;
    this.ballots = new Map(); // phone id -> choice
    this.totals = [0, 0, 0];
    this.timer = null;
    this.lastSent = -Infinity;
  }

  state() {
    const poll = this.pollOpen
      ? { id: "v-peer", status: "open", voters: this.ballots.size, totals: this.totals.slice() }
      : null;
    return { seq: this.seq, present: this.present, poll };
  }

  change() {
    this.seq += 1;
    if (this.timer === null) {
      // The first change goes out at once; a storm waits for the next tick.
      const wait = Math.max(0, this.lastSent + INTERVAL_MS - Date.now());
      this.timer = setTimeout(() => this.flush(), wait);
    }
    return this.seq;
  }

  flush() {
    this.timer = null;
    this.lastSent = Date.now();
    const snapshot = this.state();
    this.io.of("/participant").emit("state", snapshot);
    this.io.of("/moderator").emit("state", snapshot);
  }

  vote(phone, choice) {
    const index = CHOICES.indexOf(choice);
    if (!this.pollOpen || index < 0) return { ok: false, error: "bad_request" };
    const before = this.ballots.get(phone);
    if (before !== undefined) this.totals[before] -= 1;
    this.ballots.set(phone, index);
    this.totals[index] += 1;
    return { ok: true, seq: this.change() };
  }
}

function answer(ack, value) {
  if (typeof ack === "function") ack(value);
}

function serve(port, readyFile) {
  const httpServer = http.createServer();
  const io = new Server(httpServer, { serveClient: false, transports: ["websocket", "polling"] });
  const room = new Room(io);
  // Connections engine.io refuses (the driver keeps this log beside the profiles).
  io.engine.on("connection_error", (err) => {
    console.error(`connection_error ${err.code} ${err.message} ${JSON.stringify(err.context || {})}`);
  });
  let nextPhone = 0;

  io.of("/participant").on("connection", (socket) => {
    const phone = ++nextPhone;
    let joined = false;
    socket.emit("state", room.state());
    socket.on("join", (data, ack) => {
      if (!joined) {
        joined = true;
        room.present += 1;
        room.change();
      }
      answer(ack, { ok: true, seq: room.seq, me: { joined: true, checked_in: true } });
    });
    socket.on("check_in", (data, ack) => answer(ack, { ok: true, seq: room.seq }));
    socket.on("vote", (data, ack) => {
      const choice = data && Array.isArray(data.choices) ? data.choices[0] : undefined;
      answer(ack, room.vote(phone, choice));
    });
    socket.on("disconnect", () => {
      if (joined) {
        room.present -= 1;
        room.change();
      }
    });
  });

  io.of("/moderator").use((socket, next) => {
    const auth = socket.handshake.auth || {};
    next(auth.token === TOKEN ? undefined : new Error("forbidden"));
  });
  io.of("/moderator").on("connection", (socket) => {
    socket.emit("state", room.state());
    socket.on("sync", (data, ack) => answer(ack, { ok: true, state: room.state() }));
    socket.on("command", (data, ack) => {
      if (data && data.type === "OpenPoll") room.pollOpen = true;
      answer(ack, { ok: true, seq: room.change(), poll_id: "v-peer" });
    });
  });

  httpServer.listen(port, "127.0.0.1", () => {
    const url = `http://127.0.0.1:${httpServer.address().port}`;
    if (readyFile) {
      const ready = { url, moderator_token: TOKEN, session_id: "-", pid: process.pid };
      fs.writeFileSync(`${readyFile}.part`, JSON.stringify(ready));
      fs.renameSync(`${readyFile}.part`, readyFile);
    }
  });

  const lagFile = process.env.FACILITATOR_LOOP_LAG_FILE;
  if (lagFile) sampleLoopLag(lagFile);
  const stop = () => {
    io.close();
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

// The same sampler as facilitator's (FACILITATOR_LOOP_LAG_FILE): how late a 10 ms timer fires,
// stamped with CLOCK_MONOTONIC in seconds (process.hrtime is Python's time.monotonic()).
function sampleLoopLag(path) {
  const out = fs.openSync(path, "a");
  const now = () => Number(process.hrtime.bigint()) / 1e9;
  let lines = [];
  const tick = () => {
    const due = now() + 0.01;
    setTimeout(() => {
      const at = now();
      lines.push(`${at.toFixed(4)} ${(Math.max(0, at - due) * 1000).toFixed(2)}\n`);
      if (lines.length >= 100) {
        fs.writeSync(out, lines.join(""));
        lines = [];
      }
      tick();
    }, 10);
  };
  tick();
}

serve(Number(argument("--port", "0")), argument("--ready-file", ""));

// Tallyboard's browser pages: the public leaderboard and a team's page (docs/protocol.md 13).
// The host decides what this page receives; the page shows what it is sent and nothing else.
// Every name goes in as text (textContent), never as markup.
"use strict";

(function () {
  const page = document.body.dataset.page;
  const $ = (id) => document.getElementById(id);
  // `boards` holds every board the host sent, by name ("null" the main one); `board` the main.
  const state = { board: null, phase: null, event: null, sheets: new Map(), notes: [], boards: new Map(),
    control: null, showing: 0, withheld: false };
  let socket = null;
  let attempt = 0;
  let timer = null;
  let stopped = false;
  let code = null;
  let teamId = null;  // the welcome's subject: the team's own row on the board
  let refusal = null;  // the code of the host's last error on this socket
  let rotation = null;  // the timer that turns the public page to its next board
  const REFUSED = {
    unauthorized: "That is not a team code of this event. Check it and try again.",
    too_many_attempts: "Too many wrong codes from here: wait a minute, then try again.",
    bad_request: "That is not a team code of this event. Check it and try again.",
  };

  function el(tag, cls, text) {
    const node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setLink(text, cls) {
    const link = $("link");
    link.textContent = text;
    link.className = "link " + (cls || "");
  }

  // --- the socket: reconnect forever with backoff and jitter, like the desktop peers (8a) ---

  function delay() {
    const nominal = Math.min(15, 0.5 * Math.pow(1.5, attempt));
    attempt += 1;
    return (nominal / 2 + Math.random() * nominal / 2) * 1000;
  }

  function connect() {
    timer = null;
    if (stopped) return;
    const scheme = location.protocol === "https:" ? "wss://" : "ws://";
    const ws = new WebSocket(scheme + location.host + "/live");
    socket = ws;
    refusal = null;
    setLink("Connecting…", "wait");
    ws.onopen = () => {
      // Named boards and display_control (protocol 4e), deltas (4d): like the desktop peers.
      const hello = { type: "hello", protocol: 1, page: page, boards: true, deltas: true };
      if (page === "team") hello.code = code;
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = (event) => {
      if (socket !== ws) return;  // a socket this page has left
      let message;
      try { message = JSON.parse(event.data); } catch (e) { return; }
      if (message && typeof message.type === "string") receive(message);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      if (stopped) return;
      // The code itself was refused (the host says why before it closes): ask for it again.
      // Any other close (shed, restarted, the network) is retried like the desktop peers do.
      const why = refusal;
      refusal = null;
      if (page === "team" && REFUSED[why]) {
        refused(REFUSED[why]);
        return;
      }
      const wait = delay();
      setLink("Offline · retrying in " + Math.ceil(wait / 1000) + " s", "off");
      timer = setTimeout(connect, wait);
    };
  }

  // --- boards: snapshots and deltas, each named board apart (docs/protocol.md 4d, 4e) ---------

  const key = (name) => JSON.stringify(name === undefined ? null : name);

  // What sync.messages.apply_delta does, step for step: the board `delta` makes of `rows`, or
  // null when they do not fit (the page then asks for the whole board again).
  function applyDelta(rows, delta) {
    const sent = delta.rows.map((r) => { const row = Object.assign({}, r); delete row.pos; return [r.pos, row]; });
    const changed = new Set(sent.map(([, row]) => row.team_id));
    if (changed.size !== sent.length) return null;  // one team in two places
    const gone = new Set(delta.removed);
    const kept = rows.filter((row) => !changed.has(row.team_id) && !gone.has(row.team_id));
    const placed = new Array(delta.count).fill(null);
    for (const [pos, row] of sent) {
      if (!Number.isInteger(pos) || pos < 0 || pos >= delta.count || placed[pos] !== null) return null;
      placed[pos] = row;
    }
    let next = 0;
    const done = placed.map((row) => (row !== null ? row : next < kept.length ? kept[next++] : null));
    if (done.some((row) => row === null) || next !== kept.length) return null;
    for (const [pos, length, by] of delta.ranks || []) {
      for (let k = pos; k < pos + length; k++) {
        if (k < 0 || k >= done.length) return null;
        const rank = done[k].rank;
        if (placed[k] !== null || !Number.isInteger(rank)) return null;  // a sent row, or no rank
        placed[k] = done[k] = Object.assign({}, done[k], { rank: rank + by });
      }
    }
    return done;
  }
  window.Tallyboard = { applyDelta: applyDelta };  // for tests/web: the same rules as Python's

  // Keep a whole board, or the board a delta makes; false when the page must ask again.
  function keep(message) {
    const name = key(message.board);
    const held = state.boards.get(name);
    if (typeof message.revision !== "number" || (held && message.revision < held.revision)) return true;
    let rows;
    if (message.type === "leaderboard_update") {
      rows = Array.isArray(message.data) ? message.data : [];
    } else {
      if (!held || held.revision !== message.base || held.mode !== message.mode) return false;
      rows = applyDelta(held.rows, message);
      if (rows === null) return false;
    }
    const board = { name: message.board || null, title: message.title || (held && held.title) || null,
      mode: message.mode, rows: rows, revision: message.revision, phase: message.phase || null };
    state.boards.set(name, board);
    if (name === "null") {
      state.board = board;
      state.withheld = false;
      if (board.phase) state.phase = board.phase;
    }
    return true;
  }

  function receive(message) {
    if (message.type === "error") {
      refusal = message.code;
    } else if (message.type === "welcome") {
      attempt = 0;
      state.event = message.event || {};
      teamId = message.subject;
      state.phase = state.event.phase || null;
      state.sheets.clear();
      state.withheld = false;
      state.notes = [];
      // Named boards are kept in memory only, and sent afresh after every welcome (4e).
      for (const name of Array.from(state.boards.keys())) if (name !== "null") state.boards.delete(name);
      state.control = null;
      $("event").textContent = state.event.name || "Tallyboard";
      if (page === "team") joined(message.subject_name);
      setLink("● Live", "on");
      render();
    } else if (message.type === "leaderboard_update" || message.type === "leaderboard_delta") {
      if (!keep(message)) {
        const ask = { type: "leaderboard_request" };
        if (message.board) ask.board = message.board;
        if (socket) socket.send(JSON.stringify(ask));
        return;
      }
      render();
    } else if (message.type === "board_withdrawn") {
      // A board the host took back (4e): the page shows what it would had it never come.
      state.boards.delete(key(message.board));
      if (key(message.board) === "null") {
        // The results taken back: hidden (its sheets too) until the main board comes again.
        state.board = null;
        state.withheld = true;
        if (state.phase === "released") state.phase = "locked";
      }
      render();
    } else if (message.type === "display_control") {
      const before = state.control;
      state.control = message;
      if (!before || key(before.boards) !== key(message.boards)) state.showing = 0;
      if (!before || before.rotate !== message.rotate) rotate();
      render();
    } else if (message.type === "score_update" && message.data) {
      state.sheets.set(message.data.sheet_id || String(state.sheets.size), message.data);
      render();
    } else if (message.type === "team_notification" && message.data) {
      state.notes = state.notes.filter((n) => n.id !== message.data.id).concat([message.data]);
      render();
    }
  }

  // --- the public page: what a display shows, in each mode -----------------------------------

  // The title, tag and line under it of each mode, as the display window says them
  // (desktop/display.py headline): a board that can no longer change is not called live.
  function headline(mode, phase, rows) {
    const over = phase === "locked" || phase === "released";
    if (mode === "live" && phase === "released") return ["The final results", "RESULTS RELEASED", ""];
    if (mode === "live" && over) return ["Scoring is locked: these are the final scores", "LOCKED", ""];
    if (mode === "progress") {
      return ["How many judges have scored each team so far", over ? "LOCKED" : "JUDGING IN PROGRESS",
        over ? "Judging is over · results soon" : "Judging in progress · results later"];
    }
    if (mode === "frozen") return ["Leaderboard", "RESULTS FROZEN", ""];
    if (mode === "reveal") {
      if (!rows.length) return ["The results, from last place to first", "", ""];
      const hidden = Math.max(0, Math.min(...rows.map((r) => r.rank || 1)) - 1);
      return ["The results, from last place to first",
        hidden ? rows.length + " REVEALED · " + hidden + " TO GO" : "ALL REVEALED", ""];
    }
    return ["Live leaderboard", "● LIVE", ""];
  }

  function score(value) {
    return typeof value === "number" ? value.toFixed(2) : "–";
  }

  function judges(count) {
    return count === 1 ? "1 judge" : count + " judges";
  }

  // The boards the display control lists that the page holds, in its order (4e): a board with
  // no rows received yet is skipped. No control (an old host, an event without prizes): the main.
  function shown() {
    const names = state.control && Array.isArray(state.control.boards) ? state.control.boards : [null];
    return names.map((name) => state.boards.get(key(name))).filter(Boolean);
  }

  // Turn to the next board every `rotate` seconds (5 to 600; the host sends 20 by default).
  function rotate() {
    if (rotation) clearInterval(rotation);
    rotation = null;
    const seconds = state.control && Number(state.control.rotate);
    if (page !== "public" || !seconds) return;
    rotation = setInterval(() => {
      if (shown().length < 2) return;
      state.showing += 1;
      render();
    }, Math.max(1, seconds) * 1000);
  }

  // The board's name as the display says it: the prize, its sponsor, the round when the event
  // has more than one; the main board is "Overall" beside others, and unnamed when alone.
  function boardTitle(board, alone) {
    const rounds = (state.event && state.event.rounds) || [];
    const title = board.title || {};
    const round = rounds.length > 1 ? title.round_name || (rounds[0] && rounds[0].name) || "" : "";
    if (!board.name) return alone && !round ? ["", ""] : [round ? round + " · Overall" : "Overall", ""];
    const name = title.prize_name || title.round_name || "";
    const prize = title.prize_name && round ? round + " · " + name : name;
    return [prize, title.sponsor ? "Sponsored by " + title.sponsor : ""];
  }

  function renderPublic() {
    const boards = shown();
    const index = boards.length ? state.showing % boards.length : 0;
    const board = boards.length ? boards[index] : null;
    const [named, sponsor] = board ? boardTitle(board, boards.length < 2) : ["", ""];
    $("board-name").textContent = named;
    $("board-name").hidden = !named;
    $("sponsor").textContent = sponsor;
    $("sponsor").hidden = !sponsor;
    const dots = $("dots");
    dots.replaceChildren();
    dots.hidden = boards.length < 2;
    boards.forEach((_, i) => dots.append(el("span", i === index ? "dot on" : "dot", null)));
    dots.setAttribute("aria-label", "Board " + (index + 1) + " of " + boards.length);
    const mode = board ? board.mode : "live";
    const rows = board ? board.rows : [];
    const [title, pill, line] = headline(mode, (board && board.phase) || state.phase, rows);
    $("title").textContent = title;
    $("pill").textContent = pill;
    $("pill").hidden = !board || !pill;
    // Released reads as good news, locked as a board that stands still.
    const tone = pill === "RESULTS RELEASED" ? "live" : pill === "LOCKED" ? "frozen" : mode;
    $("pill").className = "pill " + tone;
    $("subtitle").textContent = line;
    const head = $("board-head");
    head.replaceChildren();
    head.classList.toggle("two", mode === "progress");
    const list = $("rows");
    list.replaceChildren();
    const empty = !board || rows.length === 0;
    $("board").hidden = empty;
    $("empty").hidden = !empty;
    if (empty) {
      const [title, text] = !board
        ? ["Waiting for the results", "The leaderboard appears here as soon as the host sends it."]
        : mode === "reveal"
          ? ["Results coming up", "Stay tuned: the winners are about to be revealed."]
          : ["No teams yet", "Teams appear here as soon as the organiser adds them."];
      $("empty-title").textContent = title;
      $("empty-text").textContent = text;
      return;
    }
    if (mode === "progress") {
      head.append(el("span", "name", "Team"), el("span", "num", "Scored by"));
      for (const row of rows) {
        const line = el("div", "row two", null);
        line.setAttribute("role", "row");
        line.dataset.team = row.team_id;
        line.append(el("span", "name", row.team_name), el("span", "num", judges(row.judge_count)));
        list.append(line);
      }
      return;
    }
    head.append(el("span", "rank", "#"), el("span", "name", "Team"),
      el("span", "num judges", "Judges"), el("span", "num", "Score"));
    for (const row of rows) {
      const medal = row.rank === 1 ? " gold" : row.rank === 2 ? " silver" : row.rank === 3 ? " bronze" : "";
      const line = el("div", "row" + medal, null);
      line.setAttribute("role", "row");
      line.dataset.team = row.team_id;
      line.append(
        el("span", "rank", row.rank === null || row.rank === undefined ? "–" : row.rank),
        el("span", "name", row.team_name),
        el("span", "num judges", row.judge_count),
        el("span", "num total", score(row.total_score)),
      );
      list.append(line);
    }
  }

  // --- the team page: what the team window shows ---------------------------------------------

  function ordinal(n) {
    const teen = n % 100 >= 11 && n % 100 <= 13;
    const suffix = teen ? "th" : ({ 1: "st", 2: "nd", 3: "rd" }[n % 10] || "th");
    return n + suffix;
  }

  function status() {
    const released = state.phase === "released";
    if (released) return ["Judging is complete", "The organiser has released the results: your rank, total and every score sheet are below."];
    const hidden = "How many judges have scored you, and what they gave, stays private until the organiser releases the results.";
    if (state.phase === "setup") return ["Judging has not started yet", hidden];
    if (state.phase === "scoring") return ["Judging is under way", hidden];
    if (state.phase === "locked") return ["Judging has finished", "The scores are in. Results will be released soon."];
    return ["Waiting for the host", "Connecting to the event's host…"];
  }

  function renderTeam() {
    const [title, text] = status();
    $("status-title").textContent = title;
    $("status-text").textContent = text;
    const mine = state.board && state.event
      ? state.board.rows.find((row) => row.team_id === teamId) : null;
    const released = !state.withheld && (Boolean(state.board) || state.sheets.size > 0);
    $("results").hidden = !released;
    $("pill").hidden = !released;
    $("pill").textContent = "RESULTS RELEASED";
    $("pill").className = "pill live";
    $("rank").textContent = mine && mine.rank ? ordinal(mine.rank) : "–";
    $("total").textContent = mine ? score(mine.total_score) : "–";
    $("judges").textContent = mine ? mine.judge_count : "–";
    const criteria = new Map(((state.event && state.event.criteria) || []).map((c) => [c.id, c.name]));
    const sheets = $("sheets");
    sheets.replaceChildren();
    $("sheets-card").hidden = !released || state.sheets.size === 0;
    let index = 0;
    for (const sheet of state.sheets.values()) {
      index += 1;
      const card = el("div", "sheet", null);
      card.append(el("h3", null, "Sheet " + index));
      const list = el("dl", null, null);
      for (const [id, value] of Object.entries(sheet.scores || {})) {
        list.append(el("dt", null, criteria.get(id) || id), el("dd", null, value));
      }
      card.append(list);
      card.append(el("p", "comment", sheet.comment ? sheet.comment : "No comment"));
      sheets.append(card);
    }
    renderPrizes();
    const notes = $("notes");
    notes.replaceChildren();
    for (const note of state.notes.slice().reverse()) {
      const item = el("li", null, null);
      item.append(el("span", "when", when(note.sent)), el("span", "what", note.message));
      notes.append(item);
    }
    $("no-notes").hidden = state.notes.length > 0;
  }

  // The team's prizes (the welcome names its public ones: never a hidden prize, 4e) and, once
  // their boards come (results released), its place and total on each, round by round; and
  // its place on each later round's overall board.
  const WAIT = "Results later";

  function renderPrizes() {
    const prizes = (state.event && state.event.prizes) || [];
    const rounds = (state.event && state.event.rounds) || [];
    const order = new Map(rounds.map((r, i) => [r.id, i]));
    const named = Array.from(state.boards.values()).filter((b) => b.name)
      .sort((a, b) => (order.get(a.name.round) || 0) - (order.get(b.name.round) || 0));
    const list = $("prizes");
    list.replaceChildren();
    const place = (board) => {
      const row = board.rows.find((r) => r.team_id === teamId);
      if (!row) return "–";
      return (row.rank ? ordinal(row.rank) : "Unranked") + " · " + score(row.total_score);
    };
    const roundName = (board) => (board.title && board.title.round_name) || board.name.round;
    const item = (name, sponsor, lines) => {
      const li = el("li", null, null);
      const what = el("div", "what", null);
      what.append(el("span", "prize", name));
      if (sponsor) what.append(el("span", "sponsor", "Sponsored by " + sponsor));
      li.append(what);
      const where = el("div", "places", null);
      for (const [label, text] of lines) {
        const line = el("span", "place", null);
        if (label) line.append(el("span", "round", label + " "));
        line.append(text === WAIT ? el("span", "pending", text) : el("b", null, text));
        where.append(line);
      }
      li.append(where);
      list.append(li);
    };
    for (const prize of prizes) {
      const boards = named.filter((b) => b.name.prize === prize.id);
      const lines = boards.length
        ? boards.map((b) => [rounds.length > 1 ? roundName(b) : "", place(b)])
        : [["", state.phase === "released" ? "–" : WAIT]];
      item(prize.name, prize.sponsor, lines);
    }
    for (const board of named.filter((b) => b.name.prize === null)) {
      item(roundName(board) + " · Overall", "", [["", place(board)]]);
    }
    $("prizes-card").hidden = list.childElementCount === 0;
  }

  function when(sent) {
    const moment = new Date(sent);
    if (isNaN(moment)) return "";
    return moment.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  }

  function joined(name) {
    $("join").hidden = true;
    $("team").hidden = false;
    $("team-name").textContent = name || "Your team";
    // The code stays in the fragment, which no browser ever sends: a reload follows it again.
    history.replaceState(null, "", "#code=" + encodeURIComponent(code));
  }

  function refused(text) {
    stopped = true;
    code = null;
    history.replaceState(null, "", location.pathname);
    $("team").hidden = true;
    $("join").hidden = false;
    $("join-error").textContent = text;
    $("join-error").hidden = false;
    setLink("", "");
  }

  function start(typed) {
    code = typed.trim().toUpperCase();
    stopped = false;
    attempt = 0;
    $("join-error").hidden = true;
    connect();
  }

  function render() {
    if (page === "team") renderTeam(); else renderPublic();
  }

  function fromFragment() {
    return new URLSearchParams(location.hash.slice(1)).get("code");
  }

  function leave() {
    stopped = true;
    if (timer) clearTimeout(timer);
    timer = null;
    if (socket) socket.close(1000);
    socket = null;
  }

  if (page === "team") {
    const fragment = fromFragment();
    // A join link opened in this tab changes only the fragment: follow its team.
    window.addEventListener("hashchange", () => {
      const linked = fromFragment();
      if (linked && linked.toUpperCase() !== code) {
        leave();
        start(linked);
      }
    });
    $("join").addEventListener("submit", (event) => {
      event.preventDefault();
      start($("code").value);
    });
    $("leave").addEventListener("click", () => {
      leave();
      code = null;
      history.replaceState(null, "", location.pathname);
      $("team").hidden = true;
      $("join").hidden = false;
      $("code").value = "";
    });
    if (fragment) start(fragment);
    render();
  } else {
    render();
    connect();
  }

})();

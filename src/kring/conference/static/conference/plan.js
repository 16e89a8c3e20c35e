// The plan editor (issue 10, point 4): each field is saved while typing; while the connection is
// down, what is typed is kept on this device (localStorage) and sent, in order, once it is back;
// a save that another device overtook shows both texts to choose from. Progressive enhancement:
// the page works without this file (each card is a form with a Save button).
(function () {
  "use strict";

  var DEBOUNCE = 700;
  var RETRY = 4000;
  var root, storeKey, state, token;
  var sending = false;
  var timers = {};
  var retryTimer = null;
  var blanks = {};

  // --- the store on this device ---------------------------------------------------------------

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storeKey) || "null");
      if (stored && stored.queue) { return stored; }
    } catch (e) { /* no storage: keep going in memory */ }
    return { queue: [], rows: {}, conflicts: {} };
  }

  function persist() {
    try { window.localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* full */ }
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return "c" + Date.now().toString(36) + Math.random().toString(36).slice(2, 12);
  }

  // --- the page -------------------------------------------------------------------------------

  function text(name) { return root.getAttribute("data-" + name) || ""; }

  function formsOf(key) {
    return Array.prototype.filter.call(root.querySelectorAll("form.autosave"), function (form) {
      return form.getAttribute("data-key") === key;
    });
  }

  function cardOf(form) { return form.closest(".card"); }

  function fieldOf(key, name) {
    var forms = formsOf(key);
    for (var i = 0; i < forms.length; i++) {
      var fields = forms[i].querySelectorAll("[name='" + name + "']");
      for (var j = 0; j < fields.length; j++) {
        if (fields[j].type !== "hidden") { return fields[j]; }
      }
    }
    return null;
  }

  function valueOf(field) {
    if (field.type === "checkbox") { return field.checked ? "1" : "0"; }
    return field.value;
  }

  function setValue(field, value) {
    if (!field) { return; }
    if (field.type === "checkbox") {
      field.checked = value === true || value === "1" || value === "true";
    } else {
      field.value = value === null || value === undefined ? "" : String(value);
    }
  }

  function editable(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.type !== "hidden" && el.type !== "submit" && el.tagName !== "BUTTON";
    });
  }

  function allFields(form) {
    var out = {};
    editable(form).forEach(function (el) { out[el.name] = valueOf(el); });
    return out;
  }

  function status(key, words, kind) {
    formsOf(key).forEach(function (form) {
      var place = form.querySelector("[data-status]");
      if (!place) { return; }
      place.textContent = words;
      place.className = "save-status" + (kind ? " " + kind : "");
    });
  }

  function banner(words, online) {
    var place = root.querySelector("[data-connection]");
    if (!place) { return; }
    place.textContent = words;
    place.classList.toggle("online", !!online);
  }

  function setRevision(key, revision) {
    formsOf(key).forEach(function (form) {
      var input = form.querySelector("input[name=revision]");
      if (input) { input.value = revision; }
      var card = cardOf(form);
      if (card) {
        card.querySelectorAll(".row-action input[name=revision]").forEach(function (el) {
          el.value = revision;
        });
      }
    });
  }

  function clearErrors(form) {
    var card = cardOf(form) || form;
    card.querySelectorAll(".field-error[data-js]").forEach(function (el) { el.remove(); });
  }

  function showErrors(key, errors) {
    Object.keys(errors).forEach(function (name) {
      var field = fieldOf(key, name);
      var holder = field ? field.closest(".field") : null;
      var message = document.createElement("p");
      message.className = "field-error";
      message.setAttribute("data-js", "");
      message.textContent = errors[name];
      if (holder) {
        holder.insertBefore(message, field);
      } else {
        var form = formsOf(key)[0];
        if (form) { form.insertBefore(message, form.firstChild); }
      }
    });
    status(key, text("failed"), "failed");
  }

  // --- rows: what the page knows of each -------------------------------------------------------

  function rowOf(key) {
    if (!state.rows[key]) { state.rows[key] = {}; }
    return state.rows[key];
  }

  function learnRow(form) {
    var key = form.getAttribute("data-key");
    if (!key) { return; }
    var row = rowOf(key);
    var pending = state.queue.some(function (e) { return e.key === key; });
    var revision = parseInt(form.querySelector("input[name=revision]").value, 10);
    row.kind = form.getAttribute("data-kind");
    if (revision > 0) {
      row.created = true;
      row.save = form.getAttribute("action");
      if (!pending || !row.revision) { row.revision = revision; }
      var card = cardOf(form);
      var remove = card && card.querySelector("form.remove");
      if (remove) { row.remove = remove.getAttribute("action"); }
    }
  }

  // A new idea or agreement: the card gets its own key (the client id) the moment one types.
  function ensureKey(form) {
    var key = form.getAttribute("data-key");
    if (key) { return key; }
    key = newKey();
    form.setAttribute("data-key", key);
    form.querySelector("input[name=client_id]").value = key;
    var row = rowOf(key);
    row.kind = form.getAttribute("data-kind");
    row.add = form.getAttribute("action");
    row.created = false;
    promote(form);
    return key;
  }

  // The new card becomes a card of the list, and a blank new card takes its place.
  function promote(form) {
    var card = cardOf(form);
    var kind = form.getAttribute("data-kind");
    var list = root.querySelector("[data-list='" + kind + "']");
    var holder = card.parentNode;
    var key = form.getAttribute("data-key");
    var prefix = (kind === "idea" ? "i" : "a");
    var fresh = prefix + key.slice(0, 8) + "-";
    card.querySelectorAll("[id]").forEach(function (el) { el.id = el.id.replace(prefix + "new-", fresh); });
    card.querySelectorAll("label[for]").forEach(function (el) {
      el.setAttribute("for", el.getAttribute("for").replace(prefix + "new-", fresh));
    });
    card.id = kind + "-" + key;
    card.removeAttribute("data-new");
    // Moving the card takes the focus from the field being typed in: give it back, with the
    // cursor where it was, so the next keys land in the same field.
    var typing = card.contains(document.activeElement) ? document.activeElement : null;
    var caret = typing && typeof typing.selectionStart === "number"
      ? [typing.selectionStart, typing.selectionEnd] : null;
    list.appendChild(card);
    if (typing && document.activeElement !== typing) {
      typing.focus({ preventScroll: true });
      if (caret) { typing.setSelectionRange(caret[0], caret[1]); }
    }
    // It reads as a card of the list now: its own title, label and button.
    var title = card.querySelector(".card-title");
    if (title) { title.textContent = text("agreement-title").replace("#", list.children.length); }
    var label = kind === "idea" ? card.querySelector("label[for$='-text']") : null;
    if (label) { label.textContent = text("idea-label"); }
    var button = form.querySelector("button[type=submit]");
    if (button) { button.textContent = text("save"); }
    var blank = blanks[kind].cloneNode(true);
    holder.appendChild(blank);
    watch(blank.querySelector("form.autosave"));
    watchActions(blank);
  }

  function created(key, data) {
    var row = rowOf(key);
    row.created = true;
    row.save = data.urls.save;
    row.remove = data.urls.remove;
    row.move = data.urls.move || "";
    formsOf(key).forEach(function (form) {
      form.setAttribute("action", row.save);
      var card = cardOf(form);
      var actions = card.querySelector(".row-actions");
      if (actions) { actions.hidden = false; }
      var remove = card.querySelector("form.remove");
      if (remove) { remove.hidden = false; remove.setAttribute("action", row.remove); }
      var move = card.querySelector("form.move");
      if (move && row.move) { move.setAttribute("action", row.move); }
    });
  }

  // --- the queue ------------------------------------------------------------------------------

  function enqueue(form, fields) {
    var kind = form.getAttribute("data-kind");
    var required = { idea: "text", agreement: "what" }[kind];
    var key = form.getAttribute("data-key");
    if (!key) {
      // A new card is sent once its main text is written.
      if (!required || !(allFields(form)[required] || "").trim()) { return; }
      key = ensureKey(form);
    }
    if (state.conflicts[key]) {
      // Typing during a conflict: it becomes "my text" of the conflict, never sent unseen.
      Object.keys(fields).forEach(function (n) { state.conflicts[key].mine[n] = fields[n]; });
      persist();
      return;
    }
    var row = rowOf(key);
    var last = null;
    for (var i = state.queue.length - 1; i >= 0; i--) {
      if (state.queue[i].key === key) { last = state.queue[i]; break; }
    }
    if (last && !last.inflight && last.op !== "remove") {
      Object.keys(fields).forEach(function (n) { last.fields[n] = fields[n]; });
    } else if (!row.created && !(last && last.op === "add")) {
      state.queue.push({ key: key, kind: kind, op: "add", fields: allFields(form) });
    } else {
      state.queue.push({ key: key, kind: kind, op: "save", base: row.revision, fields: fields });
    }
    persist();
    status(key, navigator.onLine === false ? text("waiting") : text("saving"));
    pump();
  }

  function pending(key) {
    return state.queue.some(function (e) { return e.key === key; });
  }

  function rebase(key, from, to) {
    state.queue.forEach(function (e) {
      if (e.key === key && e.op !== "add" && !e.inflight && (e.base === from || e.base === undefined)) {
        e.base = to;
      }
    });
  }

  function pump() {
    if (sending || !state.queue.length) {
      if (!state.queue.length) { banner(""); }
      return;
    }
    if (navigator.onLine === false) { offline(); return; }
    var entry = state.queue[0];
    var row = rowOf(entry.key);
    var url;
    var body = new URLSearchParams();
    if (entry.op === "add") {
      if (row.created) { entry.op = "save"; entry.base = row.revision; }
    }
    if (entry.op === "add") {
      url = row.add || addUrl(entry.kind);
      body.append("client_id", entry.key);
    } else if (entry.op === "remove") {
      url = row.remove;
      body.append("revision", entry.base);
    } else {
      url = entry.key === "plan" ? formsOf("plan")[0].getAttribute("action") : row.save;
      body.append("revision", entry.base);
    }
    Object.keys(entry.fields || {}).forEach(function (n) { body.append(n, entry.fields[n]); });
    sending = true;
    entry.inflight = true;
    fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token },
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") < 0) {
        // Not our answer: the sign-in page after the session ended, or a refused form.
        return { status: 0, data: null };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      });
    }).then(function (answer) {
      sending = false;
      entry.inflight = false;
      if (answer.status === 0) { signedOut(); return; }
      answered(entry, answer.status, answer.data);
    }, function () {
      // No connection: keep it, and try again.
      sending = false;
      entry.inflight = false;
      persist();
      offline();
    });
  }

  function addUrl(kind) {
    var form = root.querySelector(".new-card form.autosave[data-kind='" + kind + "']");
    return form ? form.getAttribute("data-add-url") || form.getAttribute("action") : "";
  }

  function done(entry) {
    var index = state.queue.indexOf(entry);
    if (index >= 0) { state.queue.splice(index, 1); }
  }

  function answered(entry, code, data) {
    var key = entry.key;
    formsOf(key).forEach(clearErrors);
    if (code === 200) {
      done(entry);
      if (entry.op === "remove") {
        delete state.rows[key];
      } else if (data.revision) {
        var row = rowOf(key);
        var from = entry.op === "add" ? undefined : entry.base;
        if (entry.op === "add") { created(key, data); }
        row.revision = data.revision;
        rebase(key, from, data.revision);
        setRevision(key, data.revision);
      }
      if (!pending(key)) { status(key, text("saved"), "saved"); }
    } else if (code === 409 && data.conflict) {
      done(entry);
      conflictOn(entry, data);
    } else if (code === 400 && data.errors) {
      done(entry);
      if (entry.op === "add") {
        // Not made: later edits of the card wait for the next try.
        state.queue = state.queue.filter(function (e) { return e.key !== key; });
      }
      showErrors(key, data.errors);
    } else if (code === 404 || code === 422 || code === 403) {
      done(entry);
      status(key, data.refused || text("failed"), "failed");
    } else {
      persist();
      offline();
      return;
    }
    persist();
    if (!state.queue.length && navigator.onLine !== false) { banner(""); }
    pump();
  }

  function signedOut() {
    persist();
    banner(text("signed-out"));
    state.queue.forEach(function (e) { status(e.key, text("waiting")); });
  }

  function offline() {
    banner(text("offline"));
    state.queue.forEach(function (e) { status(e.key, text("waiting")); });
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () { retryTimer = null; pump(); }, RETRY);
    }
  }

  // --- conflicts ------------------------------------------------------------------------------

  function same(a, b) {
    if (a === null || a === undefined) { a = ""; }
    if (b === null || b === undefined) { b = ""; }
    if (typeof b === "boolean") { b = b ? "1" : "0"; }
    return String(a) === String(b);
  }

  function conflictOn(entry, data) {
    var key = entry.key;
    var mine = {};
    Object.keys(entry.fields).forEach(function (n) { mine[n] = entry.fields[n]; });
    // Later edits of the same row are part of "my text".
    state.queue = state.queue.filter(function (e) {
      if (e.key !== key) { return true; }
      Object.keys(e.fields || {}).forEach(function (n) { mine[n] = e.fields[n]; });
      return false;
    });
    var row = rowOf(key);
    var differs = Object.keys(mine).some(function (n) { return !same(mine[n], data.values[n]); });
    row.revision = data.revision;
    setRevision(key, data.revision);
    if (!differs || entry.op === "remove") {
      // The other device holds what this one sent (an answer lost on the way): nothing to choose.
      if (entry.op === "remove" && differs) { status(key, data.message, "failed"); return; }
      status(key, text("saved"), "saved");
      return;
    }
    state.conflicts[key] = { mine: mine, data: data };
    persist();
    drawConflict(key);
  }

  function drawConflict(key) {
    var conflict = state.conflicts[key];
    var form = formsOf(key)[0];
    if (!conflict || !form) { return; }
    var card = cardOf(form);
    var old = card.querySelector(".conflict[data-js]");
    if (old) { old.remove(); }
    var data = conflict.data;
    var box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("data-js", "");
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = data.message;
    title.appendChild(strong);
    title.appendChild(document.createTextNode(" " + data.changed_by + ", " + data.changed_at));
    box.appendChild(title);
    var versions = document.createElement("div");
    versions.className = "versions";
    function column(heading, values) {
      var col = document.createElement("div");
      var h = document.createElement("p");
      h.className = "version-title";
      h.textContent = heading;
      col.appendChild(h);
      Object.keys(conflict.mine).forEach(function (n) {
        var p = document.createElement("p");
        p.textContent = values(n) || "—";
        col.appendChild(p);
      });
      return col;
    }
    versions.appendChild(column(text("conflict-mine"), function (n) {
      var field = fieldOf(key, n);
      if (field && field.tagName === "SELECT") {
        var option = field.querySelector("option[value='" + conflict.mine[n] + "']");
        return option && conflict.mine[n] ? option.textContent : "";
      }
      if (field && field.type === "checkbox") { return conflict.mine[n] === "1" ? "✓ " + field.labels[0].textContent : "✗ " + field.labels[0].textContent; }
      return conflict.mine[n];
    }));
    versions.appendChild(column(text("conflict-other"), function (n) { return data.display[n]; }));
    box.appendChild(versions);
    var actions = document.createElement("div");
    actions.className = "card-actions";
    var keepMine = document.createElement("button");
    keepMine.type = "button";
    keepMine.className = "button";
    keepMine.textContent = text("keep-mine");
    keepMine.addEventListener("click", function () { resolve(key, true); });
    var keepOther = document.createElement("button");
    keepOther.type = "button";
    keepOther.className = "button secondary";
    keepOther.textContent = text("keep-other");
    keepOther.addEventListener("click", function () { resolve(key, false); });
    actions.appendChild(keepMine);
    actions.appendChild(keepOther);
    box.appendChild(actions);
    card.insertBefore(box, card.firstChild.nextSibling);
    status(key, data.message, "failed");
    keepMine.focus();
  }

  function resolve(key, keepMine) {
    var conflict = state.conflicts[key];
    if (!conflict) { return; }
    delete state.conflicts[key];
    var card = cardOf(formsOf(key)[0]);
    var box = card.querySelector(".conflict[data-js]");
    if (box) { box.remove(); }
    var row = rowOf(key);
    row.revision = conflict.data.revision;
    if (keepMine) {
      Object.keys(conflict.mine).forEach(function (n) { setValue(fieldOf(key, n), conflict.mine[n]); });
      state.queue.push({ key: key, kind: row.kind, op: "save", base: row.revision, fields: conflict.mine });
      status(key, text("saving"));
    } else {
      Object.keys(conflict.data.values).forEach(function (n) {
        setValue(fieldOf(key, n), conflict.data.values[n]);
      });
      status(key, text("saved"), "saved");
    }
    persist();
    pump();
  }

  // --- listening --------------------------------------------------------------------------------

  function schedule(form, field) {
    var id = (form.getAttribute("data-key") || "new-" + form.getAttribute("data-kind")) + ":" + field.name;
    window.clearTimeout(timers[id]);
    timers[id] = window.setTimeout(function () {
      delete timers[id];
      var fields = {};
      fields[field.name] = valueOf(field);
      enqueue(form, fields);
    }, DEBOUNCE);
  }

  function flush(form, field) {
    var id = (form.getAttribute("data-key") || "new-" + form.getAttribute("data-kind")) + ":" + field.name;
    if (timers[id]) {
      window.clearTimeout(timers[id]);
      delete timers[id];
    }
    var fields = {};
    fields[field.name] = valueOf(field);
    enqueue(form, fields);
  }

  function watch(form) {
    if (!form) { return; }
    learnRow(form);
    form.addEventListener("input", function (event) {
      var field = event.target;
      if (!field.name || field.type === "checkbox" || field.tagName === "SELECT") { return; }
      schedule(form, field);
    });
    form.addEventListener("change", function (event) {
      var field = event.target;
      if (!field.name || field.type === "hidden") { return; }
      flush(form, field);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      enqueue(form, allFields(form));
    });
  }

  // Moving and removing go to the server as ordinary forms, once everything typed is sent.
  function watchActions(card) {
    card.querySelectorAll("form.row-action").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!state.queue.length && navigator.onLine !== false) { return; }
        event.preventDefault();
        banner(navigator.onLine === false ? text("offline") : text("saving"), navigator.onLine !== false);
        pump();
      });
    });
  }

  // What was kept on this device before the page was loaded again: back into the fields.
  function restore() {
    state.queue.forEach(function (entry) {
      entry.inflight = false;
      if (!formsOf(entry.key).length && entry.op === "add") {
        var form = root.querySelector(".new-card form.autosave[data-kind='" + entry.kind + "']");
        if (!form) { return; }
        form.setAttribute("data-key", entry.key);
        form.querySelector("input[name=client_id]").value = entry.key;
        var row = rowOf(entry.key);
        row.kind = entry.kind;
        row.add = form.getAttribute("action");
        row.created = false;
        promote(form);
      }
      Object.keys(entry.fields || {}).forEach(function (n) { setValue(fieldOf(entry.key, n), entry.fields[n]); });
      status(entry.key, text("waiting"));
    });
    Object.keys(state.conflicts).forEach(function (key) {
      if (formsOf(key).length) {
        Object.keys(state.conflicts[key].mine).forEach(function (n) {
          setValue(fieldOf(key, n), state.conflicts[key].mine[n]);
        });
        drawConflict(key);
      } else {
        delete state.conflicts[key];
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector(".plan-editor[data-plan]");
    if (!root || !window.fetch) { return; }
    storeKey = "kring-plan-" + root.getAttribute("data-plan");
    token = root.querySelector("input[name=csrfmiddlewaretoken]").value;
    state = load();
    state.conflicts = state.conflicts || {};
    root.querySelectorAll(".new-card .card").forEach(function (card) {
      var form = card.querySelector("form.autosave");
      blanks[form.getAttribute("data-kind")] = card.cloneNode(true);
    });
    root.querySelectorAll("form.autosave").forEach(watch);
    root.querySelectorAll(".card").forEach(watchActions);
    restore();
    window.addEventListener("offline", offline);
    window.addEventListener("online", function () {
      if (state.queue.length) { banner(text("back-online"), true); }
      pump();
    });
    pump();
  });
})();

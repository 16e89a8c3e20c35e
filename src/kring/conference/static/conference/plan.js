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
  var waitingAction = null;

  // --- the store on this device ---------------------------------------------------------------

  function load() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(storeKey) || "null");
      if (stored && stored.queue) { return stored; }
    } catch (e) { /* no storage: keep going in memory */ }
    return { queue: [], rows: {}, conflicts: {} };
  }

  function persist() {
    // Signing out has just cleared this device's store (kring.js): nothing is written back.
    if (document.documentElement.hasAttribute("data-signing-out")) { return; }
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
    // A move or removal waits for this card's saves: the card keeps saying so.
    if (!kind && waitingAction && waitingAction.key === key) { words = text("action-waiting"); }
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

  // An error shown by this script is linked to its field, as the page's own errors are.
  function unlink(field, id) {
    var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(function (one) {
      return one && one !== id;
    });
    if (ids.length) { field.setAttribute("aria-describedby", ids.join(" ")); } else { field.removeAttribute("aria-describedby"); }
    field.removeAttribute("aria-invalid");
  }

  // Clears the errors of the fields named (all of the card's when none are named).
  function clearErrors(form, names) {
    var card = cardOf(form) || form;
    card.querySelectorAll(".field-error[data-js]").forEach(function (el) {
      var name = el.getAttribute("data-field");
      if (names && names.indexOf(name) < 0) { return; }
      var field = card.querySelector("#" + CSS.escape(el.getAttribute("data-for") || ""));
      if (field) { unlink(field, el.id); }
      el.remove();
    });
  }

  function hasErrors(key) {
    return formsOf(key).some(function (form) {
      return !!(cardOf(form) || form).querySelector(".field-error[data-js]");
    });
  }

  function showErrors(key, errors) {
    formsOf(key).forEach(function (form) { clearErrors(form, Object.keys(errors)); });
    Object.keys(errors).forEach(function (name) {
      var field = fieldOf(key, name);
      var holder = field ? field.closest(".field") : null;
      var message = document.createElement("p");
      message.className = "field-error";
      message.setAttribute("data-js", "");
      message.setAttribute("data-field", name);
      message.textContent = errors[name];
      if (holder) {
        message.id = field.id + "-error-js";
        message.setAttribute("data-for", field.id);
        holder.insertBefore(message, field);
        var ids = (field.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
        if (ids.indexOf(message.id) < 0) { ids.push(message.id); }
        field.setAttribute("aria-describedby", ids.join(" "));
        field.setAttribute("aria-invalid", "true");
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
      headers: { "Accept": "application/json", "X-CSRFToken": csrfToken() },
    }).then(function (response) {
      if ((response.headers.get("Content-Type") || "").indexOf("application/json") < 0) {
        // Not our answer. Only the sign-in page means the session ended; anything else (a
        // server being restarted, a refused form) keeps what was typed and tries again.
        var login = text("login");
        var signIn = login && new URL(response.url, window.location.href).pathname === login;
        return { status: signIn ? 0 : -1, code: response.status, data: null };
      }
      return response.json().then(function (data) {
        return { status: response.status, data: data };
      }, function () { return { status: -1, code: response.status, data: null }; });
    }).then(function (answer) {
      sending = false;
      entry.inflight = false;
      if (answer.status === 0) { signedOut(); return; }
      if (answer.status === -1) {
        persist();
        if (answer.code >= 500 || !answer.code) { offline(); } else { notSent(); }
        return;
      }
      answered(entry, answer.status, answer.data);
    }, function () {
      // No connection: keep it, and try again.
      sending = false;
      entry.inflight = false;
      persist();
      offline();
    });
  }

  // The CSRF cookie as it is now (signing in again in another window renews it), else the page's.
  function csrfToken() {
    var found = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return found ? decodeURIComponent(found[1]) : token;
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
    var sent = Object.keys(entry.fields || {});
    if (code === 200) {
      formsOf(key).forEach(function (form) { clearErrors(form, sent); });
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
      if (!pending(key)) {
        if (hasErrors(key)) { status(key, text("failed"), "failed"); } else { status(key, text("saved"), "saved"); }
      }
    } else if (code === 409 && data.conflict) {
      done(entry);
      conflictOn(entry, data);
    } else if (code === 400 && data.errors) {
      // The server refuses the whole save for one wrong field: the other fields stay queued and
      // are sent again without it; the wrong one waits until it is corrected.
      var required = { idea: "text", agreement: "what" }[entry.kind];
      Object.keys(data.errors).forEach(function (n) { if (entry.fields) { delete entry.fields[n]; } });
      var left = Object.keys(entry.fields || {}).filter(function (n) { return n !== "client_id"; });
      if (entry.op === "add" && (data.errors[required] || !left.length)) {
        // Not made: later edits of the card wait for the next try.
        state.queue = state.queue.filter(function (e) { return e.key !== key; });
      } else if (!left.length) {
        done(entry);
      }
      showErrors(key, data.errors);
    } else if (code === 404 && data.gone) {
      done(entry);
      goneOn(entry);
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
    runWaitingAction();
  }

  function notSent() {
    banner(text("not-sent"));
    state.queue.forEach(function (e) { status(e.key, text("waiting")); });
    if (retryTimer === null) {
      retryTimer = window.setTimeout(function () { retryTimer = null; pump(); }, RETRY);
    }
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

  // The row was removed on another device: what was typed in it is offered back, never dropped.
  function goneOn(entry) {
    var key = entry.key;
    var form = formsOf(key)[0];
    var mine = form ? allFields(form) : {};
    Object.keys(entry.fields || {}).forEach(function (n) { mine[n] = entry.fields[n]; });
    state.queue = state.queue.filter(function (e) {
      if (e.key !== key) { return true; }
      Object.keys(e.fields || {}).forEach(function (n) { mine[n] = e.fields[n]; });
      return false;
    });
    state.conflicts[key] = { mine: mine, gone: true, kind: entry.kind };
    persist();
    drawConflict(key);
  }

  function drawGone(key, card) {
    var conflict = state.conflicts[key];
    var box = document.createElement("div");
    box.className = "conflict";
    box.setAttribute("data-js", "");
    box.setAttribute("role", "alert");
    var title = document.createElement("p");
    var strong = document.createElement("strong");
    strong.textContent = text("gone");
    title.appendChild(strong);
    box.appendChild(title);
    var actions = document.createElement("div");
    actions.className = "card-actions";
    var again = document.createElement("button");
    again.type = "button";
    again.className = "button";
    again.textContent = text(conflict.kind === "idea" ? "add-again-idea" : "add-again-agreement");
    again.addEventListener("click", function () { addAgain(key); });
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button secondary";
    drop.textContent = text("discard");
    drop.addEventListener("click", function () { discard(key); });
    actions.appendChild(again);
    actions.appendChild(drop);
    box.appendChild(actions);
    card.insertBefore(box, card.firstChild.nextSibling);
    status(key, text("gone"), "failed");
    return again;
  }

  function addAgain(key) {
    var conflict = state.conflicts[key];
    var form = formsOf(key)[0];
    if (!conflict || !form) { return; }
    delete state.conflicts[key];
    delete state.rows[key];
    var card = cardOf(form);
    var box = card.querySelector(".conflict[data-js]");
    if (box) { box.remove(); }
    Object.keys(conflict.mine).forEach(function (n) { setValue(fieldOf(key, n), conflict.mine[n]); });
    var fresh = newKey();
    form.setAttribute("data-key", fresh);
    form.querySelector("input[name=client_id]").value = fresh;
    var actions = card.querySelector(".row-actions");
    if (actions) { actions.hidden = true; }
    var remove = card.querySelector("form.remove");
    if (remove) { remove.hidden = true; }
    var row = rowOf(fresh);
    row.kind = conflict.kind;
    row.add = addUrl(conflict.kind);
    row.created = false;
    form.setAttribute("action", row.add);
    state.queue.push({ key: fresh, kind: conflict.kind, op: "add", fields: allFields(form) });
    persist();
    status(fresh, text("saving"));
    var first = editable(form)[0];
    if (first && (card.contains(document.activeElement) || document.activeElement === document.body)) { first.focus(); }
    pump();
  }

  function discard(key) {
    var form = formsOf(key)[0];
    delete state.conflicts[key];
    delete state.rows[key];
    persist();
    if (!form) { return; }
    // The card goes; the focus (on the button that went with it) goes to its list's heading.
    var heading = root.querySelector(form.getAttribute("data-kind") === "idea" ? "#ideas-title" : "#agreements-title");
    cardOf(form).remove();
    if (heading) { heading.setAttribute("tabindex", "-1"); heading.focus(); }
  }

  function drawConflict(key) {
    var conflict = state.conflicts[key];
    var form = formsOf(key)[0];
    if (!conflict || !form) { return; }
    var card = cardOf(form);
    // The focus moves to the choice only when it is not in another field: keys being typed
    // elsewhere must never choose (the alert announces the choice either way).
    var typingElsewhere = document.activeElement && document.activeElement !== document.body
      && !card.contains(document.activeElement);
    if (conflict.gone) {
      var old0 = card.querySelector(".conflict[data-js]");
      if (old0) { old0.remove(); }
      var again = drawGone(key, card);
      if (!typingElsewhere && !card.contains(document.activeElement)) { again.focus(); }
      return;
    }
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
    if (!typingElsewhere && !card.contains(document.activeElement)) { keepMine.focus(); }
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
    if (timers[id]) { window.clearTimeout(timers[id].timer); }
    timers[id] = {
      form: form,
      field: field,
      timer: window.setTimeout(function () {
        delete timers[id];
        var fields = {};
        fields[field.name] = valueOf(field);
        enqueue(form, fields);
      }, DEBOUNCE),
    };
  }

  function flush(form, field) {
    var id = (form.getAttribute("data-key") || "new-" + form.getAttribute("data-kind")) + ":" + field.name;
    if (timers[id]) {
      window.clearTimeout(timers[id].timer);
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

  // The page is being closed, reloaded or put away: the words typed in the last moment are
  // queued at once, and so kept on this device (sending needs no wait).
  function flushAll() {
    if (document.documentElement.hasAttribute("data-signing-out")) { return; }
    Object.keys(timers).forEach(function (id) {
      var pendingField = timers[id];
      flush(pendingField.form, pendingField.field);
    });
  }

  // Moving and removing go to the server as ordinary forms, once everything typed is sent: the
  // card says so, and the move or removal follows as soon as the queue is empty.
  function watchActions(card) {
    card.querySelectorAll("form.row-action").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        flushAll();
        if (!state.queue.length && navigator.onLine !== false) { return; }
        event.preventDefault();
        var autosave = card.querySelector("form.autosave");
        waitingAction = {
          form: form,
          button: event.submitter || null,
          key: autosave ? autosave.getAttribute("data-key") : "",
        };
        banner(navigator.onLine === false ? text("offline") : text("saving"), navigator.onLine !== false);
        pump();
        if (waitingAction && waitingAction.key) { status(waitingAction.key, text("action-waiting")); }
      });
    });
  }

  function runWaitingAction() {
    if (!waitingAction || state.queue.length || sending) { return; }
    var action = waitingAction;
    waitingAction = null;
    if (!document.body.contains(action.form)) { return; }
    if (action.form.requestSubmit) { action.form.requestSubmit(action.button); } else { action.form.submit(); }
  }

  // What was kept on this device before the page was loaded again: back into the fields.
  // A card for a row this page no longer shows (removed on another device): a blank card, given
  // the row's key, so that what was typed there can be offered back.
  function cardFor(key, kind) {
    if (formsOf(key).length) { return true; }
    var form = root.querySelector(".new-card form.autosave[data-kind='" + kind + "']");
    if (!form) { return false; }
    form.setAttribute("data-key", key);
    form.querySelector("input[name=client_id]").value = key;
    promote(form);
    return true;
  }

  function restore() {
    // Saves for a row removed meanwhile (not on this page any more): offered back.
    state.queue.filter(function (entry) {
      return entry.op !== "add" && entry.key !== "plan" && !formsOf(entry.key).length;
    }).forEach(function (entry) {
      var mine = (state.conflicts[entry.key] || {}).mine || {};
      state.queue = state.queue.filter(function (e) {
        if (e.key !== entry.key) { return true; }
        Object.keys(e.fields || {}).forEach(function (n) { mine[n] = e.fields[n]; });
        return false;
      });
      if (entry.op !== "remove" || state.conflicts[entry.key]) {
        state.conflicts[entry.key] = { mine: mine, gone: true, kind: entry.kind || rowOf(entry.key).kind };
      }
    });
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
      var conflict = state.conflicts[key];
      if (!formsOf(key).length) {
        // Its row was removed meanwhile: what was typed is offered back, never dropped unseen.
        conflict.gone = true;
        conflict.kind = conflict.kind || rowOf(key).kind;
        delete conflict.data;
        if (!cardFor(key, conflict.kind)) { return; }
      }
      Object.keys(conflict.mine).forEach(function (n) { setValue(fieldOf(key, n), conflict.mine[n]); });
      drawConflict(key);
    });
    persist();
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.querySelector(".plan-editor[data-plan]");
    if (!root || !window.fetch) { return; }
    // Kept per plan and per user: another user of this device never sees or sends it, and
    // signing out clears it (kring.js).
    storeKey = "kring-plan-" + root.getAttribute("data-plan") + "-" + root.getAttribute("data-user");
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
    window.addEventListener("pagehide", flushAll);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") { flushAll(); }
    });
    window.addEventListener("offline", offline);
    window.addEventListener("online", function () {
      if (state.queue.length) { banner(text("back-online"), true); }
      pump();
    });
    pump();
  });
})();

/*
 * The upload page of apertur-local (GET /u/{uuid}).
 *
 * It talks only to the session's own routes, /api/v1/upload/{uuid}/..., with the session id in
 * the link as its only credential: it never holds an API key. Photos are sent one by one as
 * multipart uploads; with encryption on, each is sealed in this browser first (WebCrypto:
 * AES-256-GCM with a fresh key and 12-byte IV, the key wrapped with RSA-OAEP SHA-256 under the
 * session's serverPublicKey) into the same JSON envelope the SDKs send.
 *
 * Query parameters: colorScheme=dark|light, lang=en|fr, encrypt=1 (encryption on and locked).
 * Embedded in an iframe, it posts to its parent:
 *   {type: "apertur:image:received", data: <upload result>}
 *   {type: "apertur:session:complete", data: {id, status}}
 *   {type: "apertur:error", data: {message}}
 * State for people and tests: body[data-state] is loading, password, ready, expired, completed,
 * notfound, blocked or error; every file row has data-state queued, encrypting, uploading, done,
 * error or skipped.
 */
(function () {
  "use strict";

  var MESSAGES = {
    en: {
      title: "Send photos",
      lead: "Photos go straight to the app that shared this link.",
      loading: "Loading…",
      footer: "Served by apertur-local",
      passwordTitle: "This session is password protected",
      passwordLabel: "Password",
      passwordSubmit: "Continue",
      passwordChecking: "Checking…",
      wrongPassword: "Wrong password. Try again.",
      tooManyPasswords: "Too many wrong passwords. Wait a minute, then try again.",
      take: "Take a photo",
      choose: "Choose photos",
      limits: "Accepted: {types}, up to {size} per photo.",
      limitsCount: "At most {count} photos in this session.",
      encrypt: "Encrypt on this device",
      encryptHint: "Each photo is encrypted in this browser (RSA-OAEP + AES-256-GCM) before it is sent.",
      encryptLocked: "This link encrypts every photo in this browser before it is sent.",
      encryptUnavailable: "Encryption on this device needs a secure page (https, or this computer's own address).",
      encryptRequiredUnavailable: "This link requires encryption on this device, which this browser only allows on a secure page (https).",
      blockedTitle: "Photos cannot be sent from here",
      expiredTitle: "This link has expired",
      expiredText: "Ask for a new link to send photos.",
      completedTitle: "This session is complete",
      completedText: "It accepts no more photos. Thank you!",
      notFoundTitle: "This link is not valid",
      notFoundText: "Check the address, or ask for a new link.",
      errorTitle: "Something went wrong",
      queued: "Waiting…",
      encrypting: "Encrypting…",
      uploading: "Sending… {percent}%",
      done: "Sent",
      doneEncrypted: "Sent encrypted",
      tooLarge: "Too large: {size} at most",
      wrongType: "Not an accepted image type (accepted: {types})",
      tooBig: "Image too large: {pixels} pixels at most on each side",
      empty: "This file is empty",
      full: "Not sent: the session is full",
      expired: "Not sent: the link has expired",
      passwordRefused: "Not sent: the password was refused",
      network: "Not sent: network error. Check the connection and try again.",
      refused: "Not accepted: {reason}",
      encryptFailed: "Could not encrypt this photo",
      sent: "{count} photos sent",
      sentOne: "1 photo sent",
      bytes: ["B", "KB", "MB", "GB"]
    },
    fr: {
      title: "Envoyer des photos",
      lead: "Les photos vont directement à l'application qui a partagé ce lien.",
      loading: "Chargement…",
      footer: "Servi par apertur-local",
      passwordTitle: "Cette session est protégée par un mot de passe",
      passwordLabel: "Mot de passe",
      passwordSubmit: "Continuer",
      passwordChecking: "Vérification…",
      wrongPassword: "Mot de passe incorrect. Réessayez.",
      tooManyPasswords: "Trop de mots de passe incorrects. Attendez une minute, puis réessayez.",
      take: "Prendre une photo",
      choose: "Choisir des photos",
      limits: "Acceptées : {types}, jusqu'à {size} par photo.",
      limitsCount: "Au plus {count} photos dans cette session.",
      encrypt: "Chiffrer sur cet appareil",
      encryptHint: "Chaque photo est chiffrée dans ce navigateur (RSA-OAEP + AES-256-GCM) avant l'envoi.",
      encryptLocked: "Ce lien chiffre chaque photo dans ce navigateur avant l'envoi.",
      encryptUnavailable: "Le chiffrement sur cet appareil exige une page sécurisée (https, ou l'adresse de cet ordinateur).",
      encryptRequiredUnavailable: "Ce lien exige le chiffrement sur cet appareil, que ce navigateur n'autorise que sur une page sécurisée (https).",
      blockedTitle: "Impossible d'envoyer des photos d'ici",
      expiredTitle: "Ce lien a expiré",
      expiredText: "Demandez un nouveau lien pour envoyer des photos.",
      completedTitle: "Cette session est terminée",
      completedText: "Elle n'accepte plus de photos. Merci !",
      notFoundTitle: "Ce lien n'est pas valide",
      notFoundText: "Vérifiez l'adresse ou demandez un nouveau lien.",
      errorTitle: "Une erreur est survenue",
      queued: "En attente…",
      encrypting: "Chiffrement…",
      uploading: "Envoi… {percent} %",
      done: "Envoyée",
      doneEncrypted: "Envoyée chiffrée",
      tooLarge: "Trop volumineuse : {size} au maximum",
      wrongType: "Type d'image non accepté (acceptés : {types})",
      tooBig: "Image trop grande : {pixels} pixels au maximum par côté",
      empty: "Ce fichier est vide",
      full: "Non envoyée : la session est complète",
      expired: "Non envoyée : le lien a expiré",
      passwordRefused: "Non envoyée : le mot de passe a été refusé",
      network: "Non envoyée : erreur réseau. Vérifiez la connexion et réessayez.",
      refused: "Refusée : {reason}",
      encryptFailed: "Impossible de chiffrer cette photo",
      sent: "{count} photos envoyées",
      sentOne: "1 photo envoyée",
      bytes: ["o", "Ko", "Mo", "Go"]
    }
  };

  var TYPE_NAMES = {
    "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF", "image/heic": "HEIC"
  };
  var EXTENSION_TYPES = {
    jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp", gif: "image/gif",
    heic: "image/heic", heif: "image/heic"
  };
  var ALGORITHM = "RSA-OAEP+AES-256-GCM";

  var params = new URLSearchParams(window.location.search);
  var body = document.body;
  var sessionId = body.getAttribute("data-session") || "";
  var api = "/api/v1/upload/" + encodeURIComponent(sessionId);
  var maxBytes = Number(body.getAttribute("data-max-bytes")) || 0;
  var lang = pickLanguage(params.get("lang"));
  var text = MESSAGES[lang];

  var session = null;
  var password = null;
  var serverKey = null;
  var encryptionLocked = false;
  var queue = [];
  var working = false;
  var sentCount = 0;
  var closed = false;

  function $(id) { return document.getElementById(id); }

  function pickLanguage(requested) {
    var wanted = [requested].concat(Array.prototype.slice.call(navigator.languages || []));
    for (var i = 0; i < wanted.length; i++) {
      var code = String(wanted[i] || "").toLowerCase().split(/[-_]/)[0];
      if (MESSAGES[code]) { return code; }
    }
    return "en";
  }

  function t(key, values) {
    var template = text[key] || MESSAGES.en[key] || key;
    return template.replace(/\{(\w+)\}/g, function (_, name) {
      return values && values[name] !== undefined ? String(values[name]) : "";
    });
  }

  function formatSize(bytes) {
    var units = text.bytes;
    var value = bytes;
    var unit = 0;
    while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++; }
    var digits = unit === 0 || value >= 10 ? 0 : 1;
    return value.toLocaleString(lang, { maximumFractionDigits: digits }) + "\u00a0" + units[unit];
  }

  function applyTheme() {
    var scheme = params.get("colorScheme");
    document.documentElement.setAttribute("data-theme", scheme === "dark" || scheme === "light" ? scheme : "auto");
    document.documentElement.setAttribute("lang", lang);
    document.title = t("title");
    var nodes = document.querySelectorAll("[data-i18n]");
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute("data-i18n"));
    }
  }

  function notifyParent(type, data) {
    if (window.parent === window) { return; }
    try { window.parent.postMessage({ type: type, data: data }, "*"); } catch (ignored) { /* detached */ }
  }

  function setState(state) { body.setAttribute("data-state", state); }

  function showNotice(state, titleKey, message, kind) {
    setState(state);
    $("loading").hidden = true;
    $("password-form").hidden = true;
    $("picker").hidden = true;
    $("notice-title").textContent = t(titleKey);
    $("notice-text").textContent = message;
    $("notice").setAttribute("data-kind", kind || "info");
    $("notice").hidden = false;
  }

  function fail(message) {
    showNotice("error", "errorTitle", message);
    notifyParent("apertur:error", { message: message });
  }

  function requestJson(method, path, payload) {
    var init = { method: method, credentials: "omit", cache: "no-store", headers: { Accept: "application/json" } };
    if (payload !== undefined) {
      init.headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(payload);
    }
    return fetch(api + path, init).then(function (response) {
      return response.text().then(function (raw) {
        var data = null;
        try { data = raw ? JSON.parse(raw) : null; } catch (ignored) { data = null; }
        return { status: response.status, data: data };
      });
    });
  }

  function serverMessage(data, fallback) {
    return data && typeof data.message === "string" && data.message ? data.message : fallback;
  }

  // ---------------------------------------------------------------- session and password

  function loadSession() {
    return requestJson("GET", "/session").then(function (answer) {
      if (answer.status === 404) {
        showNotice("notfound", "notFoundTitle", t("notFoundText"));
        return null;
      }
      if (answer.status !== 200 || !answer.data) {
        fail(serverMessage(answer.data, "HTTP " + answer.status));
        return null;
      }
      return answer.data;
    });
  }

  function showClosed(status) {
    if (status === "expired") {
      showNotice("expired", "expiredTitle", t("expiredText"));
    } else {
      showNotice("completed", "completedTitle", t("completedText"), "done");
    }
  }

  function start() {
    applyTheme();
    loadSession().then(function (found) {
      if (!found) { return; }
      session = found;
      if (session.status === "expired" || session.status === "completed") {
        showClosed(session.status);
        return;
      }
      $("loading").hidden = true;
      if (session.password_protected) {
        setState("password");
        $("password-form").hidden = false;
        $("password").focus();
      } else {
        showPicker();
      }
    }).catch(function () { fail(t("network")); });
  }

  function onPasswordSubmit(event) {
    event.preventDefault();
    var candidate = $("password").value;
    var error = $("password-error");
    var button = $("password-submit");
    if (!candidate) {
      error.textContent = t("wrongPassword");
      error.hidden = false;
      return;
    }
    button.disabled = true;
    button.textContent = t("passwordChecking");
    requestJson("POST", "/verify-password", { password: candidate }).then(function (answer) {
      button.disabled = false;
      button.textContent = t("passwordSubmit");
      if (answer.status === 410) { showClosed("expired"); return; }
      if (answer.status === 200 && answer.data && answer.data.valid === true) {
        password = candidate;
        error.hidden = true;
        $("password-form").hidden = true;
        showPicker();
        return;
      }
      var message = answer.status === 200 ? t("wrongPassword")
        : answer.status === 429 ? t("tooManyPasswords")
        : serverMessage(answer.data, "HTTP " + answer.status);
      error.textContent = message;
      error.hidden = false;
      $("password").select();
      notifyParent("apertur:error", { message: message });
    }).catch(function () {
      button.disabled = false;
      button.textContent = t("passwordSubmit");
      error.textContent = t("network");
      error.hidden = false;
    });
  }

  function askPasswordAgain() {
    password = null;
    $("picker").hidden = true;
    setState("password");
    $("password-form").hidden = false;
    $("password").value = "";
    $("password-error").textContent = t("wrongPassword");
    $("password-error").hidden = false;
  }

  // ---------------------------------------------------------------- the picker

  function allowedTypes() {
    var types = session && session.effectiveAllowedMimeTypes;
    return types && types.length ? types : ["image/jpeg", "image/png", "image/webp", "image/gif", "image/heic"];
  }

  function typeNames() {
    return allowedTypes().map(function (type) { return TYPE_NAMES[type] || type; }).join(", ");
  }

  function acceptAttribute() {
    var parts = allowedTypes().slice();
    if (parts.indexOf("image/heic") >= 0) { parts.push(".heic", ".heif"); }
    return parts.join(",");
  }

  function encryptionAvailable() {
    return Boolean(window.isSecureContext && window.crypto && window.crypto.subtle && session.serverPublicKey);
  }

  function showPicker() {
    setState("ready");
    $("notice").hidden = true;
    $("picker").hidden = false;
    var accept = acceptAttribute();
    $("take-photo").setAttribute("accept", accept);
    $("choose-photos").setAttribute("accept", accept);
    var limits = t("limits", { types: typeNames(), size: formatSize(maxBytes) });
    if (typeof session.effectiveMaxImages === "number") {
      limits += " " + t("limitsCount", { count: session.effectiveMaxImages });
    }
    $("limits").textContent = limits;

    var required = params.get("encrypt") === "1";
    var available = encryptionAvailable();
    var toggle = $("encrypt");
    if (required && !available) {
      showNotice("blocked", "blockedTitle", t("encryptRequiredUnavailable"));
      notifyParent("apertur:error", { message: t("encryptRequiredUnavailable") });
      return;
    }
    encryptionLocked = required;
    toggle.checked = required;
    toggle.disabled = required || !available;
    $("encrypt-label").setAttribute("aria-disabled", String(!available));
    $("encrypt-hint").textContent = !available ? t("encryptUnavailable") : required ? t("encryptLocked") : t("encryptHint");
  }

  function onFilesChosen(event) {
    var input = event.target;
    var source = input.id === "take-photo" ? "camera" : "gallery";
    var files = Array.prototype.slice.call(input.files || []);
    input.value = "";
    files.forEach(function (file) { enqueue(file, source); });
    pump();
  }

  // ---------------------------------------------------------------- file rows

  function addRow(file) {
    var row = document.createElement("li");
    row.className = "file";
    var line = document.createElement("div");
    line.className = "file-row";
    var name = document.createElement("span");
    name.className = "file-name";
    name.textContent = file.name || "image";
    var size = document.createElement("span");
    size.className = "file-size";
    size.textContent = formatSize(file.size);
    line.appendChild(name);
    line.appendChild(size);
    var bar = document.createElement("div");
    bar.className = "file-bar";
    bar.appendChild(document.createElement("span"));
    var status = document.createElement("p");
    status.className = "file-status";
    row.appendChild(line);
    row.appendChild(bar);
    row.appendChild(status);
    $("files").appendChild(row);
    return row;
  }

  function setRow(item, state, message, fraction) {
    item.row.setAttribute("data-state", state);
    item.row.querySelector(".file-status").textContent = message;
    if (fraction !== undefined) {
      item.row.querySelector(".file-bar > span").style.width = Math.round(fraction * 100) + "%";
    }
  }

  function rowError(item, state, message) {
    setRow(item, state, message);
    notifyParent("apertur:error", { message: message, filename: item.file.name });
  }

  function updateSummary() {
    var summary = $("summary");
    summary.textContent = sentCount === 1 ? t("sentOne") : t("sent", { count: sentCount });
    summary.hidden = sentCount === 0;
    body.setAttribute("data-sent", String(sentCount));
  }

  // ---------------------------------------------------------------- checks before sending

  function typeOf(file) {
    var type = (file.type || "").toLowerCase();
    if (type === "image/jpg") { type = "image/jpeg"; }
    if (type === "image/heif") { type = "image/heic"; }
    if (!type) {
      var match = /\.([a-z0-9]+)$/i.exec(file.name || "");
      type = match ? EXTENSION_TYPES[match[1].toLowerCase()] || "" : "";
    }
    return type;
  }

  function localProblem(file) {
    if (file.size === 0) { return t("empty"); }
    if (maxBytes && file.size > maxBytes) { return t("tooLarge", { size: formatSize(maxBytes) }); }
    if (allowedTypes().indexOf(typeOf(file)) < 0) { return t("wrongType", { types: typeNames() }); }
    return null;
  }

  // ---------------------------------------------------------------- encryption

  function base64(bytes) {
    var parts = [];
    var step = 0x6000; // a multiple of 3: chunks encode without padding until the last
    for (var i = 0; i < bytes.length; i += step) {
      parts.push(window.btoa(String.fromCharCode.apply(null, bytes.subarray(i, i + step))));
    }
    return parts;
  }

  function importServerKey() {
    if (serverKey) { return serverKey; }
    var pem = String(session.serverPublicKey);
    var b64 = pem.replace(/-----(BEGIN|END) PUBLIC KEY-----/g, "").replace(/\s+/g, "");
    var der = Uint8Array.from(window.atob(b64), function (c) { return c.charCodeAt(0); });
    serverKey = window.crypto.subtle.importKey(
      "spki", der, { name: "RSA-OAEP", hash: "SHA-256" }, false, ["encrypt"]
    );
    return serverKey;
  }

  function encryptFile(file) {
    var subtle = window.crypto.subtle;
    var iv = window.crypto.getRandomValues(new Uint8Array(12));
    return Promise.all([
      importServerKey(),
      subtle.generateKey({ name: "AES-GCM", length: 256 }, true, ["encrypt"]),
      file.arrayBuffer()
    ]).then(function (parts) {
      var rsaKey = parts[0];
      var aesKey = parts[1];
      return Promise.all([
        subtle.exportKey("raw", aesKey).then(function (raw) {
          return subtle.encrypt({ name: "RSA-OAEP" }, rsaKey, raw);
        }),
        subtle.encrypt({ name: "AES-GCM", iv: iv, tagLength: 128 }, aesKey, parts[2])
      ]);
    }).then(function (sealed) {
      var head = '{"encryptedKey":"' + base64(new Uint8Array(sealed[0])).join("") +
        '","iv":"' + base64(iv).join("") + '","encryptedData":"';
      var tail = '","algorithm":"' + ALGORITHM + '"}';
      return new Blob([head].concat(base64(new Uint8Array(sealed[1])), [tail]), { type: "application/octet-stream" });
    });
  }

  // ---------------------------------------------------------------- sending

  function send(form, headers, onProgress) {
    return new Promise(function (resolve) {
      var xhr = new XMLHttpRequest();
      xhr.open("POST", api + "/images");
      xhr.withCredentials = false;
      Object.keys(headers).forEach(function (name) { xhr.setRequestHeader(name, headers[name]); });
      xhr.upload.onprogress = function (event) {
        if (event.lengthComputable && event.total > 0) { onProgress(event.loaded / event.total); }
      };
      xhr.onload = function () {
        var data = null;
        try { data = xhr.responseText ? JSON.parse(xhr.responseText) : null; } catch (ignored) { data = null; }
        resolve({ status: xhr.status, data: data });
      };
      xhr.onerror = function () { resolve({ status: 0, data: null }); };
      xhr.onabort = xhr.onerror;
      xhr.send(form);
    });
  }

  function enqueue(file, source) {
    var item = { file: file, source: source, row: addRow(file) };
    var problem = closed ? t("full") : localProblem(file);
    if (problem) {
      rowError(item, closed ? "skipped" : "error", problem);
      return;
    }
    setRow(item, "queued", t("queued"), 0);
    queue.push(item);
  }

  function skipRemaining(message) {
    while (queue.length) { setRow(queue.shift(), "skipped", message); }
  }

  function pump() {
    if (working) { return; }
    var item = queue.shift();
    if (!item) { return; }
    working = true;
    uploadOne(item).then(function (next) {
      working = false;
      if (next) { pump(); }
    });
  }

  function uploadOne(item) {
    var encrypt = $("encrypt").checked && encryptionAvailable();
    var prepared;
    if (encrypt) {
      setRow(item, "encrypting", t("encrypting"), 0);
      prepared = encryptFile(item.file).then(function (envelope) {
        return { blob: envelope, name: (item.file.name || "image") + ".enc" };
      });
    } else {
      prepared = Promise.resolve({ blob: item.file, name: item.file.name || "image" });
    }
    return prepared.then(function (part) {
      var form = new FormData();
      form.append("source", item.source);
      form.append("file", part.blob, part.name);
      var headers = {};
      if (password !== null) { headers["x-session-password"] = password; }
      if (encrypt) { headers["X-Aptr-Encrypted"] = "default"; }
      setRow(item, "uploading", t("uploading", { percent: 0 }), 0);
      return send(form, headers, function (fraction) {
        setRow(item, "uploading", t("uploading", { percent: Math.min(99, Math.round(fraction * 100)) }), fraction);
      });
    }, function () {
      rowError(item, "error", t("encryptFailed"));
      return null;
    }).then(function (answer) {
      return answer ? handleAnswer(item, answer, encrypt) : true;
    });
  }

  function handleAnswer(item, answer, encrypted) {
    var status = answer.status;
    if (status >= 200 && status < 300) {
      sentCount++;
      setRow(item, "done", t(encrypted ? "doneEncrypted" : "done"), 1);
      updateSummary();
      notifyParent("apertur:image:received", answer.data);
      return checkCompletion();
    }
    var reason = serverMessage(answer.data, "HTTP " + status);
    if (status === 0) {
      rowError(item, "error", t("network"));
      return true;
    }
    if (status === 403 && session.password_protected) {
      rowError(item, "error", t("passwordRefused"));
      skipRemaining(t("passwordRefused"));
      askPasswordAgain();
      return false;
    }
    if (status === 409) {
      rowError(item, "skipped", t("full"));
      return finish("completed");
    }
    if (status === 410) {
      rowError(item, "skipped", t("expired"));
      return finish("expired");
    }
    if (status === 413) {
      rowError(item, "error", t("tooLarge", { size: formatSize(maxBytes) }));
      return true;
    }
    if (status === 400 && /not a supported image|is not allowed/i.test(reason)) {
      rowError(item, "error", t("wrongType", { types: typeNames() }));
      return true;
    }
    if (status === 400 && /px per side/i.test(reason) && session.effectiveMaxImageDimension) {
      rowError(item, "error", t("tooBig", { pixels: session.effectiveMaxImageDimension }));
      return true;
    }
    rowError(item, "error", t("refused", { reason: reason }));
    return true;
  }

  function checkCompletion() {
    return loadSession().then(function (fresh) {
      if (!fresh) { return false; }
      session.status = fresh.status;
      if (fresh.status === "completed" || fresh.status === "expired") {
        return finish(fresh.status);
      }
      return true;
    }, function () { return true; });
  }

  function finish(status) {
    if (closed) { return false; }
    closed = true;
    skipRemaining(t(status === "expired" ? "expired" : "full"));
    $("take-label").setAttribute("aria-disabled", "true");
    $("choose-label").setAttribute("aria-disabled", "true");
    showClosed(status);
    if (status === "completed") {
      notifyParent("apertur:session:complete", { id: sessionId, status: status, images: sentCount });
    } else {
      notifyParent("apertur:error", { message: t("expiredTitle") });
    }
    return false;
  }

  // ---------------------------------------------------------------- wiring

  document.addEventListener("DOMContentLoaded", function () {
    $("password-form").addEventListener("submit", onPasswordSubmit);
    $("take-photo").addEventListener("change", onFilesChosen);
    $("choose-photos").addEventListener("change", onFilesChosen);
    start();
  });
})();

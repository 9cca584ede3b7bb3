// What `events.subscribe(uuid)` of the official Node SDK (@apertur/sdk 0.1.5) does on the wire,
// rebuilt from its documented behaviour, with no dependency (Node >= 18: built-in fetch and web
// streams). The SDK is not on the npm registry this project can reach, so this script stands in
// for it in tests/local/node/test_node_sdk_events.py.
//
// Behaviour reproduced, as the SDK has it:
// - GET <base>/api/v1/upload/<uuid>/events with no headers at all (no Authorization, no Accept,
//   no Last-Event-ID); a non-2xx answer is an `error` event and the end;
// - the body is decoded as UTF-8 and cut into lines on "\n" (a trailing partial line waits for
//   the next read);
// - `event: ` and `data: ` (with the space) set the pending block; an empty line emits it as
//   (name, JSON.parse(data)) — or the raw text when the data is not JSON — if both were set;
//   `id:` and other fields are ignored; a line starting with `: heartbeat` emits `heartbeat`;
// - the pending block lives only as long as one read of the body: an event whose lines arrive in
//   two reads is dropped. That is why the server must write each event in one piece.
//
// Usage: node sdk_events_subscribe.mjs <base url> <session uuid> <stop at event> <timeout ms>
// Prints one JSON line per emitted event ({"event", "data"}) and exits 0 once <stop at event> was
// emitted, 2 on an `error` event, 3 on timeout, 4 if the stream closed first.

const [baseUrl, uuid, stopAt, timeoutMs] = process.argv.slice(2);
const controller = new AbortController();

function emit(name, data) {
  process.stdout.write(JSON.stringify({ event: name, data }) + "\n");
  if (name === stopAt) finish(0);
}

function finish(code) {
  controller.abort();
  // Let stdout drain before leaving.
  process.stdout.write("", () => process.exit(code));
}

setTimeout(() => {
  emit("error", { message: `timed out waiting for ${stopAt}` });
  finish(3);
}, Number(timeoutMs));

function handleLines(lines) {
  let name = "";
  let data = "";
  for (const line of lines) {
    if (line.startsWith("event: ")) {
      name = line.slice("event: ".length).trim();
    } else if (line.startsWith("data: ")) {
      data = line.slice("data: ".length).trim();
    } else if (line === "" && name && data) {
      let parsed;
      try {
        parsed = JSON.parse(data);
      } catch {
        parsed = data;
      }
      emit(name, parsed);
      name = "";
      data = "";
    } else if (line.startsWith(": heartbeat")) {
      emit("heartbeat", {});
    }
  }
}

async function subscribe() {
  const url = `${baseUrl.replace(/\/+$/, "")}/api/v1/upload/${uuid}/events`;
  const response = await fetch(url, { signal: controller.signal });
  if (!response.ok || !response.body) {
    emit("error", { message: `SSE connection failed: ${response.status}` });
    finish(2);
    return;
  }
  const decoder = new TextDecoder();
  let pending = "";
  for await (const chunk of response.body) {
    pending += decoder.decode(chunk, { stream: true });
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    handleLines(lines);
  }
  emit("close", {});
  finish(4);
}

subscribe().catch((error) => {
  if (controller.signal.aborted) return;
  emit("error", { message: String(error) });
  finish(2);
});

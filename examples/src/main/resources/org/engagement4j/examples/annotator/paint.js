"use strict";

(async () => {
  const id = new URLSearchParams(location.search).get("id");
  const api = "/api/snippets/" + encodeURIComponent(id);
  const canvas = document.getElementById("view");
  const status = document.getElementById("status");
  const ctx = canvas.getContext("2d");

  const say = (text) => { status.textContent = text; };

  const metaRes = await fetch(api);
  if (!metaRes.ok) {
    say("error: " + (await metaRes.json()).error);
    return;
  }
  const meta = await metaRes.json();
  const T = meta.frames, H = meta.height, W = meta.width;
  const rgb = new Uint8Array(await (await fetch(api + "/frames")).arrayBuffer());
  const mapBytes = new DataView(await (await fetch(api + "/map")).arrayBuffer());
  const heat = new Float32Array(T * H * W);
  for (let i = 0; i < heat.length; i++) heat[i] = mapBytes.getFloat32(4 * i, true);

  const labels = { participating: "", attending: "" };
  Object.assign(labels, meta.draft.labels);
  let frame = meta.draft.frame;
  let brush = Brush.make(meta.draft.sigma);
  let dirty = false;
  let painting = null; // null, "add" or "erase"

  // Frames are small (160 x 208): show them scaled up by a whole factor, pixelated.
  const scale = Math.max(3, Math.floor(624 / W));
  canvas.width = W;
  canvas.height = H;
  canvas.style.width = (W * scale) + "px";
  canvas.style.height = (H * scale) + "px";
  document.getElementById("title").textContent = meta.id + ": session " + meta.session + " at "
    + (meta.start_ms / 1000).toFixed(1) + " s, " + meta.task + ", painting for "
    + meta.target_variable + " (as " + meta.annotator + ")";
  const image = ctx.createImageData(W, H);

  // OpenCV's COLORMAP_JET, piecewise linear, blended 3:1 with the frame as the reference did.
  const jet = (v) => {
    const c = (x) => Math.max(0, Math.min(1, x));
    return [c(1.5 - Math.abs(4 * v - 3)), c(1.5 - Math.abs(4 * v - 2)),
      c(1.5 - Math.abs(4 * v - 1))];
  };

  function render() {
    const px = image.data;
    const f0 = frame * H * W;
    for (let i = 0; i < H * W; i++) {
      const col = jet(heat[f0 + i]);
      for (let c = 0; c < 3; c++) {
        px[4 * i + c] = 0.75 * rgb[3 * (f0 + i) + c] + 0.25 * 255 * col[c];
      }
      px[4 * i + 3] = 255;
    }
    ctx.putImageData(image, 0, 0);
    document.getElementById("frame-label").textContent = "frame " + (frame + 1) + " / " + T;
    document.getElementById("frame-label").dataset.frame = String(frame);
    document.getElementById("brush-label").textContent =
      "brush sigma " + brush.sigma.toFixed(2) + " px";
    for (const b of document.querySelectorAll("button[data-tier]")) {
      const on = labels[b.dataset.tier] === b.dataset.value;
      b.classList.toggle("selected", on);
      b.setAttribute("aria-pressed", String(on));
    }
  }

  // Requests go one after another so a draft never overtakes a save.
  let queue = Promise.resolve();
  function enqueue(job) {
    queue = queue.then(job).catch((e) => say("error: " + e));
    return queue;
  }
  function labelQuery() {
    return "participating=" + encodeURIComponent(labels.participating)
      + "&attending=" + encodeURIComponent(labels.attending);
  }
  function body() {
    const out = new DataView(new ArrayBuffer(4 * heat.length));
    for (let i = 0; i < heat.length; i++) out.setFloat32(4 * i, heat[i], true);
    return out.buffer;
  }
  async function send(url, method) {
    const res = await fetch(url, { method, body: body(),
      headers: { "Content-Type": "application/octet-stream" } });
    if (!res.ok) {
      const err = await res.json();
      throw new Error((err.field ? err.field + ": " : "") + err.error);
    }
  }
  function saveDraft() {
    if (!dirty) return queue;
    dirty = false;
    return enqueue(async () => {
      await send(api + "/draft?frame=" + frame + "&sigma=" + brush.sigma + "&" + labelQuery(),
        "PUT");
      if (!dirty) say("draft saved");
    });
  }
  function changed() {
    dirty = true;
    say("unsaved changes");
  }

  function point(e) {
    const rect = canvas.getBoundingClientRect();
    return [(e.clientX - rect.left) / (rect.width / W) - 0.5,
      (e.clientY - rect.top) / (rect.height / H) - 0.5];
  }

  canvas.addEventListener("contextmenu", (e) => e.preventDefault());
  canvas.addEventListener("pointerdown", (e) => {
    if (e.button !== 0 && e.button !== 2) return;
    e.preventDefault();
    painting = e.button === 0 ? "add" : "erase";
    canvas.setPointerCapture(e.pointerId);
  });
  canvas.addEventListener("pointermove", (e) => {
    if (!painting) return;
    // As the reference, a stroke paints at every move while a button is held, not at the press.
    const events = e.getCoalescedEvents ? e.getCoalescedEvents() : [e];
    for (const ev of (events.length ? events : [e])) {
      const [x, y] = point(ev);
      Brush.stamp(brush, heat, H, W, frame, x, y, painting === "erase");
    }
    changed();
    render();
  });
  const stop = () => {
    if (painting) {
      painting = null;
      saveDraft();
    }
  };
  canvas.addEventListener("pointerup", stop);
  canvas.addEventListener("pointercancel", stop);
  canvas.addEventListener("wheel", (e) => {
    e.preventDefault();
    if (e.deltaY === 0) return;
    brush = Brush.wheel(brush, e.deltaY < 0);
    changed();
    render();
  }, { passive: false });

  function go(delta) {
    frame = ((frame + delta) % T + T) % T;
    changed();
    render();
  }
  document.getElementById("prev").addEventListener("click", () => go(-1));
  document.getElementById("next").addEventListener("click", () => go(1));
  document.addEventListener("keydown", (e) => {
    if (e.key === "ArrowLeft") { e.preventDefault(); go(-1); }
    if (e.key === "ArrowRight") { e.preventDefault(); go(1); }
  });
  document.getElementById("clear").addEventListener("click", () => {
    heat.fill(0, frame * H * W, (frame + 1) * H * W);
    changed();
    render();
  });
  for (const b of document.querySelectorAll("button[data-tier]")) {
    b.addEventListener("click", () => {
      labels[b.dataset.tier] = b.dataset.value;
      changed();
      render();
      saveDraft();
    });
  }
  document.getElementById("save").addEventListener("click", () => {
    dirty = false;
    say("saving...");
    enqueue(async () => {
      try {
        await send(api + "/save?" + labelQuery(), "POST");
        say("saved");
      } catch (e) {
        dirty = true;
        say("not saved: " + e.message);
      }
    });
  });
  setInterval(saveDraft, 2000);

  render();
  say(meta.draft.source === "none" ? "new" : "resumed from " + meta.draft.source);
  document.body.dataset.ready = "true";
})();

"use strict";

(async () => {
  const body = document.getElementById("snippets");
  const res = await fetch("/api/snippets");
  const list = await res.json();
  document.getElementById("who").textContent = "Painting as " + list.annotator + ".";
  for (const s of list.snippets) {
    const tr = document.createElement("tr");
    tr.dataset.id = s.id;
    const link = document.createElement("a");
    link.href = "/paint?id=" + encodeURIComponent(s.id);
    link.textContent = s.id;
    const cells = [link, s.session ?? "", s.start_ms === undefined ? "" : (s.start_ms / 1000)
      .toFixed(1), s.task ?? "", s.target_variable ?? "", s.state];
    for (const c of cells) {
      const td = document.createElement("td");
      if (c instanceof Node) td.appendChild(c); else td.textContent = c;
      tr.appendChild(td);
    }
    const state = tr.lastChild;
    state.className = "state state-" + s.state.replace(" ", "-");
    if (s.error) state.title = s.error;
    body.appendChild(tr);
  }
  document.body.dataset.ready = "true";
})();

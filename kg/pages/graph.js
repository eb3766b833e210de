(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("kg-data").textContent);
  var status = document.getElementById("kg-status");

  // Every string from the graph enters the page through textContent, never as markup.
  function add(parent, tag, className, text) {
    var element = document.createElement(tag);
    if (className) { element.className = className; }
    if (text !== undefined && text !== null && text !== "") { element.textContent = String(text); }
    parent.appendChild(element);
    return element;
  }

  function tooltip(info) {
    var box = document.createElement("div");
    box.className = "kg-tip";
    add(box, "div", "kg-tip-label", info.label);
    info.facts.forEach(function (fact) {
      var line = add(box, "div", "kg-tip-fact");
      add(line, "span", "kg-tip-key", fact[0] + ": ");
      add(line, "span", null, fact[1]);
    });
    info.evidence.forEach(function (item) {
      var quote = add(box, "blockquote", "kg-tip-quote", item.text);
      add(quote, "cite", null, item.source);
    });
    if (info.more) { add(box, "div", "kg-tip-more", info.more); }
    add(box, "div", "kg-tip-iri", info.iri);
    return box;
  }

  var nodes = data.nodes.map(function (node) {
    var info = data.info[node.id];
    if (info) { node.title = tooltip(info); }
    return node;
  });
  var network = new vis.Network(document.getElementById("kg-network"),
    {nodes: new vis.DataSet(nodes), edges: new vis.DataSet(data.edges)}, data.options);
  window.kgNetwork = network;
  window.kgTooltip = function (id) { return tooltip(data.info[id]); };
  window.kgPhysicsStopped = false;

  // Let the layout settle, then freeze it: the page stays still and costs no CPU.
  // kgStoppedBy and kgStoppedAt (ms after the page began loading) are read by tests and benchmarks.
  function stop(reason) {
    if (window.kgPhysicsStopped) { return; }
    network.stopSimulation();
    network.setOptions({physics: {enabled: false}});
    window.kgPhysicsStopped = true;
    window.kgStoppedBy = reason;
    window.kgStoppedAt = performance.now();
    status.textContent = document.getElementById("kg-done").textContent;
  }
  network.on("stabilizationProgress", function (progress) {
    status.textContent = "Arranging the graph: " + Math.round(100 * progress.iterations / progress.total) + "%";
  });
  network.once("stabilizationIterationsDone", function () { stop("stabilized"); });
  // at the latest 4 s after the page began to load, however large the graph
  window.setTimeout(function () { stop("time limit"); }, Math.max(0, 4000 - performance.now()));
})();

// Client-side search for attache sites: no server, no framework.
// Loads /search-index.json (the newest briefings, the actor and topic
// tables) and shows results at once, then loads older shards and refines.
// Run under Node (no document), it only exports its pure functions, for tests.
(function () {
  "use strict";

  // Lower case, accents removed: "Türkiye" matches "turkiye".
  function fold(s) {
    return (s || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // A name as the actor filter compares it: folded, punctuation and
  // spaces as single spaces ("Kim Jong-un" is "kim jong un").
  function nameKey(s) {
    return fold(s).replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  }

  // Every name of an index actor entry [label, url, [other names]]: its
  // label, its other names (name, aliases) and its slug.
  function actorNames(entry) {
    var slug = (entry[1] || "").replace(/\/+$/, "").split("/").pop() || "";
    return [entry[0]].concat(entry[2] || [], [slug]).map(nameKey);
  }

  // The actors a filter names: those with a name equal to it ("putin",
  // "Vladimir Putin", "vladimir-putin"), else those with a name holding
  // it as whole words ("vladimir" in "Vladimir Putin"). null for an empty
  // filter; [] when no actor matches.
  function matchActors(table, text) {
    var key = nameKey(text);
    if (!key) return null;
    var exact = [], words = [];
    for (var i = 0; i < table.length; i++) {
      var names = actorNames(table[i]);
      if (names.indexOf(key) >= 0) exact.push(i);
      else if (names.some(function (n) { return (" " + n + " ").indexOf(" " + key + " ") >= 0; })) words.push(i);
    }
    return exact.length ? exact : words;
  }

  // "2023-11-15" as pages write it, "15 November 2023", with the month
  // names the index carries; as written if it is not such a date.
  function dateLabel(iso, months) {
    var p = String(iso).split("-").map(Number);
    var month = months && months[p[1] - 1];
    if (!month) return String(iso);
    return (p.length > 2 ? p[2] + " " : "") + month + " " + p[0];
  }

  if (typeof document === "undefined") {
    if (typeof module === "object" && module.exports) {
      module.exports = { fold: fold, nameKey: nameKey, matchActors: matchActors, dateLabel: dateLabel };
    }
    return;
  }

  var script = document.currentScript;
  var indexUrl = script && script.getAttribute("data-index");
  var form = document.querySelector(".search-form");
  var q = document.getElementById("search-q");
  var actorInput = document.getElementById("search-actor");
  var actorList = document.getElementById("search-actors");
  var topicSelect = document.getElementById("search-topic");
  var status = document.getElementById("search-status");
  var results = document.getElementById("search-results");
  var intro = document.getElementById("search-intro");
  if (!indexUrl || !form || !q) return;

  var MAX_RESULTS = 50;
  var docs = [];
  var actors = [];
  var topics = [];
  var months = [];
  var total = 0;
  var loading = true;

  function prepare(d) {
    return {
      title: d.t, url: d.u, date: d.d, summary: d.s || "", actors: d.a || [], topics: d.p || [],
      fTitle: fold(d.t), fSummary: fold(d.s), fText: fold(d.x),
      fNames: fold((d.a || []).map(function (i) { return actors[i] ? [actors[i][0]].concat(actors[i][2] || []).join(" ") : ""; })
        .concat((d.p || []).map(function (i) { return topics[i] ? topics[i][0] : ""; })).join(" "))
    };
  }

  function terms(text) {
    return fold(text).split(/[^\p{L}\p{N}]+/u).filter(function (t) { return t.length > 0; });
  }

  function score(doc, words) {
    var total = 0;
    for (var i = 0; i < words.length; i++) {
      var w = words[i], s = 0;
      if (doc.fTitle.indexOf(w) >= 0) s += 5;
      if (doc.fNames.indexOf(w) >= 0) s += 3;
      if (doc.fSummary.indexOf(w) >= 0) s += 2;
      if (doc.fText.indexOf(w) >= 0) s += 1;
      if (s === 0) return 0; // every word must match somewhere
      total += s;
    }
    return total;
  }

  function quoted(text) {
    return "“" + text.trim() + "”";
  }

  function run() {
    var words = terms(q.value);
    var actorText = actorInput ? actorInput.value : "";
    var chosen = matchActors(actors, actorText);
    var topic = topicSelect && topicSelect.value !== "" ? Number(topicSelect.value) : -1;
    results.textContent = "";
    var asked = words.length || chosen || topic !== -1;
    if (intro) intro.hidden = !!asked;
    if (!asked) {
      status.textContent = loading ? "Loading the index…" : "Type to search " + total + " briefings, or pick an actor or a topic.";
      return;
    }
    if (chosen && !chosen.length) {
      status.textContent = "No actor is called " + quoted(actorText) +
        ". Pick a name from the list (any of an actor's names or aliases works), or clear the actor filter.";
      return;
    }
    var hits = [];
    for (var i = 0; i < docs.length; i++) {
      var d = docs[i];
      if (chosen && !d.actors.some(function (a) { return chosen.indexOf(a) >= 0; })) continue;
      if (topic !== -1 && d.topics.indexOf(topic) < 0) continue;
      var s = words.length ? score(d, words) : 1;
      if (s > 0) hits.push([s, d]);
    }
    hits.sort(function (a, b) { return b[0] - a[0] || (a[1].date < b[1].date ? 1 : a[1].date > b[1].date ? -1 : 0); });
    var shown = hits.slice(0, MAX_RESULTS);
    for (var j = 0; j < shown.length; j++) results.appendChild(render(shown[j][1]));
    var more = loading ? " (still loading older briefings)" : "";
    var naming = chosen ? " naming " + chosen.map(function (a) { return actors[a][0]; }).join(" or ") : "";
    if (hits.length === 0) {
      status.textContent = "No briefings match" + (words.length ? " " + quoted(q.value) : "") + naming + more +
        ". Try fewer or shorter words, another spelling" + (chosen || topic !== -1 ? ", or clear the actor or topic filter." : ".");
      return;
    }
    status.textContent = hits.length + (hits.length === 1 ? " briefing matches" : " briefings match") + naming +
      (hits.length > MAX_RESULTS ? "; showing the best " + MAX_RESULTS : "") + more + ".";
  }

  function render(d) {
    var li = document.createElement("li");
    li.className = "search-result";
    var time = document.createElement("time");
    time.dateTime = d.date;
    time.textContent = dateLabel(d.date, months);
    var a = document.createElement("a");
    a.href = d.url;
    a.textContent = d.title;
    var h = document.createElement("h2");
    h.className = "search-result-title";
    h.appendChild(a);
    li.appendChild(time);
    li.appendChild(h);
    if (d.summary) {
      var p = document.createElement("p");
      p.textContent = d.summary;
      li.appendChild(p);
    }
    if (d.actors.length) {
      var names = document.createElement("p");
      names.className = "search-result-actors";
      d.actors.slice(0, 6).forEach(function (i, k) {
        if (!actors[i]) return;
        if (k > 0) names.appendChild(document.createTextNode(" · "));
        var link = document.createElement("a");
        link.href = actors[i][1];
        link.textContent = actors[i][0];
        names.appendChild(link);
      });
      li.appendChild(names);
    }
    return li;
  }

  var timer = null;
  function schedule() {
    clearTimeout(timer);
    timer = setTimeout(function () {
      run();
      var params = new URLSearchParams();
      if (q.value) params.set("q", q.value);
      if (actorInput && actorInput.value) params.set("actor", actorInput.value);
      if (topicSelect && topicSelect.value) params.set("topic", topicSelect.options[topicSelect.selectedIndex].text);
      var qs = params.toString();
      history.replaceState(null, "", qs ? "?" + qs : location.pathname);
    }, 80);
  }

  form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
  q.addEventListener("input", schedule);
  if (actorInput) actorInput.addEventListener("input", schedule);
  if (topicSelect) topicSelect.addEventListener("change", schedule);

  function fill(manifest) {
    actors = manifest.actors || [];
    topics = manifest.topics || [];
    months = manifest.months || [];
    total = manifest.count || 0;
    if (actorList) {
      actors.forEach(function (a) {
        var o = document.createElement("option");
        o.value = a[0];
        actorList.appendChild(o);
      });
    }
    if (topicSelect) {
      topics.map(function (t, i) { return [t[0], i]; })
        .sort(function (a, b) { return a[0].localeCompare(b[0]); })
        .forEach(function (t) {
          var o = document.createElement("option");
          o.value = String(t[1]);
          o.textContent = t[0];
          topicSelect.appendChild(o);
        });
    }
    var params = new URLSearchParams(location.search);
    if (params.get("q")) q.value = params.get("q");
    if (actorInput && params.get("actor")) actorInput.value = params.get("actor");
    if (topicSelect && params.get("topic")) {
      for (var i = 0; i < topicSelect.options.length; i++) {
        if (topicSelect.options[i].text === params.get("topic")) topicSelect.selectedIndex = i;
      }
    }
  }

  function load(url) {
    return fetch(url).then(function (r) {
      if (!r.ok) throw new Error(r.status + " " + url);
      return r.json();
    });
  }

  status.textContent = "Loading the index…";
  load(indexUrl).then(function (manifest) {
    fill(manifest);
    docs = (manifest.docs || []).map(prepare);
    run();
    var shards = manifest.shards || [];
    var next = function (i) {
      if (i >= shards.length) { loading = false; run(); return; }
      load(shards[i]).then(function (shard) {
        docs = docs.concat((shard.docs || []).map(prepare));
        run();
        next(i + 1);
      });
    };
    next(0);
  }).catch(function (e) {
    loading = false;
    status.textContent = "The search index could not be loaded (" + e.message + ").";
  });
})();

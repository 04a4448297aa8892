"use strict";
// Type-ahead for the buyers' search: names the server would find, offered in the field's datalist.
// The form works the same without this script (the results page is computed by the server).
(() => {
  const field = document.getElementById("q");
  const names = document.getElementById("q-names");
  if (!field || !names) return;
  const lang = document.documentElement.lang;
  let timer = null;
  let asked = "";
  field.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = field.value.trim();
      if (text.length < 2 || text === asked) return;
      asked = text;
      try {
        const answer = await fetch(`/recherche.json?q=${encodeURIComponent(text)}&lang=${lang}`);
        if (!answer.ok || asked !== text) return;
        const found = await answer.json();
        names.replaceChildren(...found.map((hit) => {
          const option = document.createElement("option");
          option.value = hit.name;
          option.label = `${hit.name} (${hit.kind})`;
          return option;
        }));
      } catch (error) {
        // Offline or refused: the form still submits to the results page.
      }
    }, 150);
  });
})();

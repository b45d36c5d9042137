/*
 * The options page: server address, "Sign in with your school account" (the service worker runs
 * chrome.identity.launchWebAuthFlow, lib/signin.js), then a staff token as the second way in
 * (chrome.storage.local only, never sync), the school's e-mail domain and account handles. Values pushed by IT through Chrome policy (chrome.storage.managed)
 * win and are shown read-only. Saving a server outside the built-in host permissions asks Chrome
 * for that origin first (permissions.request must run in the click's user gesture).
 */
(function () {
  "use strict";
  const Settings = globalThis.SecondLook.settings;
  const { MESSAGES } = globalThis.SecondLook.messages;
  const form = document.getElementById("settings");
  const status = document.getElementById("status");
  const fields = {
    serverUrl: document.getElementById("serverUrl"),
    token: document.getElementById("token"),
    schoolHandles: document.getElementById("schoolHandles"),
    schoolDomain: document.getElementById("schoolDomain"),
  };
  const signinState = document.getElementById("signin-state");
  const signinButton = document.getElementById("signin");
  const signoutButton = document.getElementById("signout");
  let managedKeys = [];

  function say(text, kind) {
    status.textContent = text;
    status.className = kind || "";
  }

  const buttons = [document.getElementById("save"), document.getElementById("test")];

  /** Save and Test stay off until the stored settings are on screen: saving empty fields before
   * they load would wipe the settings. */
  async function load() {
    for (const button of buttons) button.disabled = true;
    try {
      await fill();
    } finally {
      for (const button of buttons) button.disabled = false;
    }
  }

  async function fill() {
    const effective = await Settings.load(chrome.storage);
    managedKeys = effective.managedKeys;
    const local = await chrome.storage.local.get(Settings.KEYS);
    for (const key of Settings.KEYS) {
      const managed = managedKeys.includes(key);
      const value = managed ? effective.values[key] : (local[key] ?? (key === "serverUrl" ? effective.values.serverUrl : ""));
      fields[key].value = Array.isArray(value) ? value.join(" ") : value || "";
      fields[key].readOnly = managed;
      document.querySelector(`.managed[data-for="${key}"]`).hidden = !managed;
    }
  }

  function originPattern(serverUrl) {
    const url = new URL(serverUrl);
    return `${url.protocol}//${url.hostname}/*`;
  }

  async function save() {
    const values = {};
    try {
      if (!managedKeys.includes("serverUrl")) values.serverUrl = Settings.normaliseServerUrl(fields.serverUrl.value);
    } catch (err) {
      say(err.message, "error");
      return false;
    }
    if (!managedKeys.includes("token")) values.token = fields.token.value.trim();
    if (!managedKeys.includes("schoolHandles")) values.schoolHandles = Settings.normaliseHandles(fields.schoolHandles.value);
    if (!managedKeys.includes("schoolDomain")) values.schoolDomain = fields.schoolDomain.value.trim().replace(/^@/, "").toLowerCase();
    if (values.serverUrl) {
      const origins = [originPattern(values.serverUrl)];
      // request() first: it needs the click's user gesture, and answers true at once if already granted.
      const granted = await chrome.permissions.request({ origins });
      if (!granted) {
        say(`Chrome did not allow Second Look to reach ${values.serverUrl}; the setting was not saved.`, "error");
        return false;
      }
    }
    await chrome.storage.local.set(values);
    return true;
  }

  function describe(result) {
    if (result.ok) return null;
    return result.error.message;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (await save()) {
      say("Saved.", "ok");
      await load();
    }
  });

  document.getElementById("test").addEventListener("click", async () => {
    if (!(await save())) return;
    await load();  // show what was stored (normalised), or what the school's policy sets
    say("Testing…");
    const reply = await chrome.runtime.sendMessage({ id: MESSAGES.TEST_CONNECTION });
    if (!reply || !reply.ok) return say("Test failed: " + ((reply && reply.error) || "no answer"), "error");
    const { serverUrl, health, check } = reply.result;
    const healthProblem = describe(health);
    if (healthProblem) return say(`Cannot reach ${serverUrl}: ${healthProblem}`, "error");
    if (!check.ok && check.error.kind === "unauthorized") {
      // one message, and what to do about it (not the server's words stacked under ours)
      return say(`${check.error.message} Paste the staff token IT gave you again, or sign in with your school account above.`, "error");
    }
    const checkProblem = describe(check);
    if (checkProblem) return say(`The server answers, but a check failed: ${checkProblem}`, "error");
    say(`Connected to ${serverUrl} (status ${health.answer.status}); a test check took ${check.roundTripMs} ms.`, "ok");
  });

  async function showSignin() {
    const reply = await chrome.runtime.sendMessage({ id: MESSAGES.SIGNIN_STATUS });
    const name = reply && reply.ok ? reply.result.name : null;
    signinState.textContent = name ? `Signed in as ${name} on this browser.` : "Not signed in with a school account.";
    signoutButton.hidden = !name;
  }

  signinButton.addEventListener("click", async () => {
    if (!(await save())) return;
    say("Signing in… finish in the window that opened.");
    const reply = await chrome.runtime.sendMessage({ id: MESSAGES.SIGN_IN });
    if (!reply || !reply.ok) {
      say("Signing in did not work: " + ((reply && reply.error) || "no answer"), "error");
      return;
    }
    say(`Signed in as ${reply.result.name}.`, "ok");
    await showSignin();
  });

  signoutButton.addEventListener("click", async () => {
    await chrome.runtime.sendMessage({ id: MESSAGES.SIGN_OUT });
    say("Signed out of this browser.", "ok");
    await showSignin();
  });

  // ---- the account chosen on each site (kept as the panel's one-click choice) ------------------
  const sitesList = document.getElementById("sites");

  async function setAccountType(site, accountType) {
    const { accountTypes } = await chrome.storage.local.get("accountTypes");
    const next = { ...(accountTypes || {}) };
    if (accountType) next[site] = accountType;
    else delete next[site];
    await chrome.storage.local.set({ accountTypes: next });
  }

  function siteRow(site, accountType) {
    const name = Settings.siteName(site);
    const item = document.createElement("li");
    item.dataset.site = site;
    const group = document.createElement("fieldset");
    const legend = document.createElement("legend");
    legend.textContent = name;
    group.append(legend);
    for (const [value, label] of [["personal", "My personal account"], ["school", "A school account"]]) {
      const option = document.createElement("label");
      const radio = document.createElement("input");
      radio.type = "radio";
      radio.name = `account-${site}`;
      radio.value = value;
      radio.checked = accountType === value;
      radio.addEventListener("change", async () => {
        await setAccountType(site, value);
        say(`${name}: drafts are now checked as ${value === "school" ? "a school account" : "your personal account"}.`, "ok");
      });
      option.append(radio, ` ${label}`);
      group.append(option);
    }
    const forget = document.createElement("button");
    forget.type = "button";
    forget.className = "secondary small";
    forget.textContent = "Ask me again";
    forget.setAttribute("aria-label", `Ask me again which account I use on ${name}`);
    forget.addEventListener("click", async () => {
      await setAccountType(site, null);
      say(`${name}: the panel will ask again which account you use.`, "ok");
    });
    group.append(forget);
    item.append(group);
    return item;
  }

  async function showSites() {
    const { accountTypes } = await chrome.storage.local.get("accountTypes");
    const entries = Object.entries(accountTypes || {}).filter(([, type]) => type === "school" || type === "personal")
      .sort(([a], [b]) => Settings.siteName(a).localeCompare(Settings.siteName(b)));
    sitesList.replaceChildren(...entries.map(([site, type]) => siteRow(site, type)));
    document.getElementById("sites-empty").hidden = entries.length > 0;
  }

  chrome.storage.onChanged.addListener((changes, area) => {
    if (area === "local" && changes.accountTypes) showSites();
  });

  load();
  showSignin();
  showSites();
})();

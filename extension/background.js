/*
 * The service worker: the only part of the extension that talks to the Second Look server
 * (content scripts are bound by the sites' CORS rules; the worker has host permissions).
 * Content scripts and the options page send named messages, handled by one switch that throws
 * on an unknown id. Chrome stops an idle worker, so it keeps no state in globals: settings and
 * remembered choices are read from chrome.storage on every message, and an in-flight check lives
 * only in the closure of the port it came on (closing the port cancels the fetch).
 */
importScripts("lib/messages.js", "lib/settings.js", "lib/api-client.js", "lib/signin.js");

const { MESSAGES, CHECK_PORT } = self.SecondLook.messages;
const Settings = self.SecondLook.settings;
const Api = self.SecondLook.api;
const Signin = self.SecondLook.signin;

async function currentSettings() {
  return (await Settings.load(chrome.storage)).values;
}

/** Settings with the bearer token to send: this browser's school-account sign-in, else the pasted token. */
async function callSettings() {
  const settings = await currentSettings();
  return { ...settings, token: await Signin.bearer(chrome.storage, settings) };
}

/** A call with this browser's sign-in; when the server refuses the access token, renew it once and retry. */
async function withSignin(call) {
  const settings = await callSettings();
  const result = await call(settings);
  if (result && !result.ok && result.error.kind === "unauthorized" && (await Signin.current(chrome.storage))) {
    const renewed = await Signin.renew(chrome.storage, settings);
    if (renewed) return call({ ...settings, token: renewed.access });
  }
  return result;
}

async function signIn() {
  const settings = await currentSettings();
  if (!settings.serverUrl) throw new Error("Set the server address first.");
  const redirect = await chrome.identity.launchWebAuthFlow({
    url: Signin.startUrl(settings, chrome.runtime.id, navigator.userAgent), interactive: true,
  });
  const back = Signin.parseRedirect(redirect);
  if (back.error) throw new Error(back.error);
  return Signin.exchange(chrome.storage, settings, back.code, navigator.userAgent);
}

async function rememberedAccountTypes() {
  const { accountTypes } = await chrome.storage.local.get("accountTypes");
  return accountTypes && typeof accountTypes === "object" ? accountTypes : {};
}

function serverOrigin(serverUrl) {
  try {
    return new URL(serverUrl).origin;
  } catch (err) {
    return null;
  }
}

async function handle(message, { signal } = {}) {
  switch (message && message.id) {
    case MESSAGES.CHECK:
      return withSignin((settings) => Api.postCheck(settings, message.draft, message.images || [], { signal }));
    case MESSAGES.REPORT_OUTCOME:
      return withSignin((settings) => Api.postOutcome(settings, message.checkId, message.action, message.reason || null));
    case MESSAGES.PAGE_SETTINGS: {
      const settings = await currentSettings();
      const remembered = (await rememberedAccountTypes())[message.site] || null;
      return {
        schoolHandles: settings.schoolHandles,
        remembered,
        serverOrigin: serverOrigin(settings.serverUrl),
        configured: Boolean(settings.serverUrl && (settings.token || (await Signin.current(chrome.storage)))),
      };
    }
    case MESSAGES.REMEMBER_ACCOUNT_TYPE: {
      if (!["school", "personal"].includes(message.accountType)) throw new Error("accountType must be school or personal");
      const accountTypes = await rememberedAccountTypes();
      accountTypes[message.site] = message.accountType;
      await chrome.storage.local.set({ accountTypes });
      return { site: message.site, accountType: message.accountType };
    }
    case MESSAGES.ADAPTER_HEALTH: {
      const settings = await currentSettings();
      const { site, adapter, kind, missing } = message.report || {};
      return Api.postAdapterHealth(settings, { site, adapter, kind, missing,
        extension_version: chrome.runtime.getManifest().version });
    }
    case MESSAGES.TEST_CONNECTION: {
      const settings = await currentSettings();
      const health = await Api.health(settings);
      const check = await withSignin((s) => Api.postCheck(s, {
        text: "Second Look connection test.", platform: "other", account_type: "school", audience: "public",
      }, []));
      return { serverUrl: settings.serverUrl, health, check };
    }
    case MESSAGES.REPORT: {
      if (!["false_alarm", "exception"].includes(message.kind)) throw new Error("kind must be false_alarm or exception");
      return Api.postReport(await currentSettings(), message.checkId, message.kind, message.reason || null);
    }
    case MESSAGES.MY_CHECKS: {
      return withSignin((settings) => Api.myChecks(settings));
    }
    case MESSAGES.OPEN_OPTIONS:
      await chrome.runtime.openOptionsPage();
      return {};
    case MESSAGES.SIGN_IN:
      return signIn();
    case MESSAGES.SIGN_OUT:
      await Signin.signOut(chrome.storage, await currentSettings());
      return {};
    case MESSAGES.SIGNIN_STATUS: {
      const signin = await Signin.current(chrome.storage);
      return { name: signin ? signin.name : null, device: signin ? signin.device : null };
    }
    default:
      throw new Error(`Unknown message id: ${message && message.id}`);
  }
}

chrome.runtime.onMessage.addListener((message, sender, sendResponse) => {
  handle(message).then(
    (result) => sendResponse({ ok: true, result }),
    (err) => sendResponse({ ok: false, error: String((err && err.message) || err) }),
  );
  return true;  // answer asynchronously
});

chrome.runtime.onConnect.addListener((port) => {
  if (port.name !== CHECK_PORT) return;
  const controller = new AbortController();
  port.onDisconnect.addListener(() => controller.abort());
  port.onMessage.addListener((message) => {
    handle(message, { signal: controller.signal }).then(
      (result) => { if (!controller.signal.aborted) port.postMessage({ ok: true, result }); },
      (err) => { if (!controller.signal.aborted) port.postMessage({ ok: false, error: String((err && err.message) || err) }); },
    );
  });
});

chrome.action.onClicked.addListener(() => chrome.runtime.openOptionsPage());

/** Tabs already open when the extension is installed or updated get no content script from
 * Chrome: inject it into each (the old copy, if any, stops itself first; see content/main.js). */
async function injectIntoOpenTabs() {
  for (const script of chrome.runtime.getManifest().content_scripts || []) {
    const tabs = await chrome.tabs.query({ url: script.matches });
    for (const tab of tabs) {
      if (tab.discarded || tab.id === undefined) continue;
      chrome.scripting.executeScript({ target: { tabId: tab.id }, files: script.js }).catch(() => {});
    }
  }
}

chrome.runtime.onInstalled.addListener(({ reason }) => {
  if (reason === "install" || reason === "update") injectIntoOpenTabs();
});

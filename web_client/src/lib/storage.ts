// Small wrappers over localStorage that never throw (private browsing, storage disabled).

function get(key: string): string | null {
  try {
    return globalThis.localStorage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

function set(key: string, value: string | null): void {
  try {
    if (value === null) globalThis.localStorage?.removeItem(key);
    else globalThis.localStorage?.setItem(key, value);
  } catch {
    /* not persisted: the participant gets a new identity after a reload */
  }
}

/** The participant token the server issued for this join code (resume after reload). */
export const participantToken = {
  get: (code: string) => get(`cylch.participant.${code}`),
  set: (code: string, token: string | null) => set(`cylch.participant.${code}`, token),
};

/** Whether this browser finished the group/language step for this join code. */
export const profileDone = {
  get: (code: string) => get(`cylch.profile.${code}`) === '1',
  set: (code: string) => set(`cylch.profile.${code}`, '1'),
  clear: (code: string) => set(`cylch.profile.${code}`, null),
};

/** The UI language last chosen on this device. */
export const savedLang = {
  get: () => get('cylch.lang'),
  set: (lang: string) => set('cylch.lang', lang),
};

/** Presenter token remembered when this browser created the workshop (the console shows its link). */
export const presenterToken = {
  get: (workshop: string) => get(`cylch.presenter.${workshop}`),
  set: (workshop: string, token: string) => set(`cylch.presenter.${workshop}`, token),
};

/** A kiosk's credentials and settings as JSON (see kiosk_config.ts); kept across reboots. */
export const kioskSettings = {
  get: () => get('cylch.kiosk'),
  set: (json: string | null) => set('cylch.kiosk', json),
};

/** How many of this kiosk's presses the server refused (shown on the status line). */
export const kioskRejected = {
  get: () => Number(get('cylch.kiosk.rejected')) || 0,
  set: (n: number) => set('cylch.kiosk.rejected', String(n)),
};

/** The projector's "both languages" option on this device ('1' on). */
export const presenterBoth = {
  get: () => get('cylch.presenter.both') === '1',
  set: (on: boolean) => set('cylch.presenter.both', on ? '1' : null),
};

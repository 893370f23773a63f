// The browser's stores for the kiosk's press queue (the queue itself is press_queue.ts).
//
// IndexedDB first: its writes are transactional, and with `durability: 'strict'` a press is on
// disk before `add` resolves — a kiosk whose plug is pulled right after the thank-you screen
// still has the press when it boots. localStorage is the fallback where IndexedDB cannot be
// opened (some locked-down or private profiles): synchronous and small, but browsers flush it
// to disk lazily, so a press may be lost in a power cut. Memory is the last resort (the status
// line then warns that presses are not kept).

import { MemoryPressStore, type PressStore, type QueuedPress } from './press_queue';

const DB_NAME = 'cylch-kiosk';
const STORE = 'presses';
const LOCAL_KEY = 'cylch.kiosk.presses';

function request<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
  });
}

class IndexedDbPressStore implements PressStore {
  readonly durable = true;
  private readonly db: IDBDatabase;

  constructor(db: IDBDatabase) {
    this.db = db;
  }

  load(): Promise<QueuedPress[]> {
    return request(this.db.transaction(STORE, 'readonly').objectStore(STORE).getAll() as IDBRequest<QueuedPress[]>);
  }

  add(press: QueuedPress): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite', { durability: 'strict' });
    tx.objectStore(STORE).put(press);
    return done(tx);
  }

  remove(op: string): Promise<void> {
    const tx = this.db.transaction(STORE, 'readwrite');
    tx.objectStore(STORE).delete(op);
    return done(tx);
  }
}

class LocalStoragePressStore implements PressStore {
  readonly durable = true;
  private readonly storage: Storage;

  constructor(storage: Storage) {
    this.storage = storage;
  }

  private read(): QueuedPress[] {
    try {
      const v = JSON.parse(this.storage.getItem(LOCAL_KEY) ?? '[]') as unknown;
      return Array.isArray(v) ? (v as QueuedPress[]) : [];
    } catch {
      return [];
    }
  }

  async load(): Promise<QueuedPress[]> {
    return this.read();
  }

  async add(press: QueuedPress): Promise<void> {
    this.storage.setItem(LOCAL_KEY, JSON.stringify([...this.read().filter((p) => p.op !== press.op), press]));
  }

  async remove(op: string): Promise<void> {
    this.storage.setItem(LOCAL_KEY, JSON.stringify(this.read().filter((p) => p.op !== op)));
  }
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => r.result.createObjectStore(STORE, { keyPath: 'op' });
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
    r.onblocked = () => reject(new Error('IndexedDB blocked'));
  });
}

/** The best store this browser offers. Presses left in localStorage by an earlier fallback are moved over. */
export async function openPressStore(): Promise<PressStore> {
  let local: LocalStoragePressStore | null = null;
  try {
    if (globalThis.localStorage) local = new LocalStoragePressStore(globalThis.localStorage);
  } catch {
    /* storage disabled */
  }
  try {
    const store = new IndexedDbPressStore(await openDb());
    if (local) {
      const left = await local.load();
      for (const p of left) {
        await store.add(p);
        await local.remove(p.op);
      }
    }
    return store;
  } catch (e) {
    console.warn('[kiosk] IndexedDB unavailable, queuing presses in localStorage', e);
  }
  return local ?? new MemoryPressStore(new Map(), false);
}

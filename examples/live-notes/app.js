// Live notes: sign in with a username and password, list the signed-in user's notes, add one, and
// see notes appear as they are written anywhere (the collection's change stream). Plain ES module,
// no bundler: it imports the TypeScript SDK's built ESM.
//
// Configuration from the query string: ?url=<data plane>&key=<publishable key>&collection=notes
import { createClient } from '../../sdk/typescript/dist/index.js';

const params = new URLSearchParams(location.search);
const url = params.get('url');
const key = params.get('key');
const collection = params.get('collection') ?? 'notes';

const $ = (id) => document.getElementById(id);
const status = (text, error = false) => {
  $('status').textContent = text;
  $('status').classList.toggle('error', error);
};

/** The notes shown, by id: events and the first page may bring the same note twice. */
const notes = new Map();
let subscription = null;

function render() {
  const list = $('note-list');
  const sorted = [...notes.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  list.replaceChildren(
    ...sorted.map((note) => {
      const item = document.createElement('li');
      item.dataset.id = note.id;
      item.textContent = note.text;
      return item;
    }),
  );
}

/** Keeps the newer version of a note. */
function upsert(note) {
  const known = notes.get(note.id);
  if (!known || known.version <= note.version) {
    notes.set(note.id, note);
  }
}

async function showNotes(client) {
  const notesRef = client.from(collection);
  // Subscribe first, then read: a note written in between comes as an event, never lost.
  subscription = notesRef.subscribe(
    (change) => {
      if (change.type === 'delete') {
        notes.delete(change.id);
      } else if (change.record) {
        upsert(change.record);
      }
      render();
    },
    {
      onOpen: () => {
        document.body.dataset.live = 'true';
      },
      onError: (error) => status(`Live updates stopped: ${error.message}`, true),
    },
  );
  for await (const note of notesRef.query().order('createdAt', 'asc')) {
    upsert(note);
  }
  render();
}

function signedIn(client, session) {
  $('sign-in').hidden = true;
  $('notes').hidden = false;
  $('who').textContent = session.user.username ?? session.user.id;
  status('');
  showNotes(client).catch((error) => status(`Could not load notes: ${error.message}`, true));
}

function main() {
  if (!url || !key) {
    status('Open this page with ?url=<data plane URL>&key=<publishable key>.', true);
    return;
  }
  const client = createClient(url, key);

  $('sign-in').hidden = false;
  status('Sign in to see your notes.');

  $('sign-in').addEventListener('submit', async (event) => {
    event.preventDefault();
    status('Signing in…');
    try {
      const session = await client.auth.signInWithPassword($('username').value, $('password').value);
      signedIn(client, session);
    } catch (error) {
      status(`Sign-in failed: ${error.message}`, true);
    }
  });

  $('add-note').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('note-text');
    const text = input.value.trim();
    if (!text) {
      return;
    }
    try {
      // One key per note: a retry after a lost answer does not add it twice.
      const note = await client.from(collection).insert({ text }, { idempotencyKey: crypto.randomUUID() });
      upsert(note);
      render();
      input.value = '';
    } catch (error) {
      status(`Could not add the note: ${error.message}`, true);
    }
  });

  $('sign-out').addEventListener('click', async () => {
    subscription?.close();
    subscription = null;
    notes.clear();
    render();
    await client.auth.signOut().catch(() => {});
    $('notes').hidden = true;
    $('sign-in').hidden = false;
    status('Signed out.');
  });
}

main();

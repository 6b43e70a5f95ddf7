// Regenerates the benchmark inputs that are not written by hand: the introspection query text (graphql-js
// getIntrospectionQuery() with default options) and the root value of the nested query (deterministic).
// Usage: node bench/data/generate.mjs   (from anywhere; writes next to this file)
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getIntrospectionQuery } from 'graphql';

const here = dirname(fileURLToPath(import.meta.url));

writeFileSync(join(here, 'introspection_query.graphql'), getIntrospectionQuery() + '\n');

// mulberry32: a small seeded PRNG so the data is the same on every run.
let seed = 0x5eed;
function random() {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (xs) => xs[Math.floor(random() * xs.length)];
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const round2 = (x) => Math.round(x * 100) / 100;
const date = (y0, y1) => `${int(y0, y1)}-${String(int(1, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`;

const words = ('river stone light garden shadow winter city glass silver night orchard harbour letter ' +
  'mountain paper signal engine lantern quiet storm island archive mirror salt copper').split(' ');
const first = 'Ada Ben Chloe Dmitri Elena Farid Grace Hiro Ines Jonas Kemi Lars Mina Noor Olga Pablo Quinn Rosa Sven Tara'.split(' ');
const last = 'Achebe Borges Calvino Duras Eco Ferrante Gaiman Hesse Ishiguro Jansson Kafka Lessing Murakami Nabokov Oz Pessoa Rushdie Sebald Tokarczuk Woolf'.split(' ');
const countries = [['GB', 'United Kingdom'], ['FR', 'France'], ['JP', 'Japan'], ['NG', 'Nigeria'], ['AR', 'Argentina'],
  ['DE', 'Germany'], ['IT', 'Italy'], ['PL', 'Poland']].map(([code, name]) => ({ code, name }));
const genres = ['FICTION', 'NON_FICTION', 'SCIENCE_FICTION', 'FANTASY', 'MYSTERY', 'BIOGRAPHY', 'HISTORY', 'POETRY'];
const formats = ['HARDCOVER', 'PAPERBACK', 'EBOOK', 'AUDIOBOOK'];
const currencies = ['USD', 'EUR', 'GBP', 'JPY'];
const title = (n) => Array.from({ length: n }, () => pick(words)).map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
const sentence = (n) => { const s = Array.from({ length: n }, () => pick(words)).join(' '); return s[0].toUpperCase() + s.slice(1) + '.'; };

const publishers = Array.from({ length: 6 }, (_, i) => ({
  id: `publisher:${i + 1}`,
  name: `${title(1)} House`,
  founded: int(1850, 2010),
  address: { street: `${int(1, 200)} ${title(1)} Street`, city: title(1), postalCode: i % 3 === 0 ? null : String(int(10000, 99999)), country: pick(countries) },
}));
const publications = Array.from({ length: 4 }, (_, i) => ({ name: `The ${title(1)} Review`, url: i === 3 ? null : `https://review${i}.example.com`, circulation: int(5000, 900000) }));

let reviewId = 0;
function reviewer() {
  if (random() < 0.6) {
    const created = date(2008, 2020);
    return { __typename: 'User', id: `user:${int(1, 5000)}`, username: `${pick(words)}_${pick(words)}${int(1, 99)}`, karma: int(0, 25000), verified: random() < 0.5, createdAt: created, updatedAt: random() < 0.5 ? null : date(2021, 2024) };
  }
  return { __typename: 'Critic', id: `critic:${int(1, 300)}`, name: `${pick(first)} ${pick(last)}`, country: pick(countries), publication: pick(publications) };
}
function review() {
  return { id: `review:${++reviewId}`, rating: int(1, 5), title: random() < 0.3 ? null : title(3), body: sentence(int(8, 24)), helpfulVotes: int(0, 400), createdAt: date(2015, 2024), updatedAt: null, reviewer: reviewer() };
}
let bookId = 0;
function book() {
  const reviews = Array.from({ length: 2 }, review);
  return {
    id: `book:${++bookId}`, title: title(int(1, 4)), subtitle: random() < 0.5 ? null : sentence(int(3, 7)), genre: pick(genres),
    numPages: int(90, 1200), published: date(1950, 2024), rating: round2(1 + random() * 4), tags: Array.from({ length: int(1, 4) }, () => pick(words)),
    createdAt: date(2010, 2020), updatedAt: random() < 0.4 ? null : date(2021, 2024), publisher: random() < 0.1 ? null : pick(publishers),
    editions: Array.from({ length: 2 }, () => ({ format: pick(formats), isbn: `978-${int(0, 9)}-${int(1000, 9999)}-${int(1000, 9999)}-${int(0, 9)}`, inStock: random() < 0.7, price: { amount: round2(4.99 + random() * 40), currency: pick(currencies) } })),
    reviews,
  };
}
const authors = Array.from({ length: 20 }, (_, i) => {
  const name = `${first[i]} ${last[(i * 7) % last.length]}`;
  const books = Array.from({ length: 10 }, book);
  const rated = books.filter((b) => b.rating !== null);
  return {
    id: `author:${i + 1}`, name, md5: createHash('md5').update(name).digest('hex'), bio: i % 4 === 3 ? null : sentence(int(10, 30)),
    birthYear: int(1920, 1995), alive: random() < 0.8, website: i % 3 === 0 ? null : `https://${name.toLowerCase().replace(' ', '-')}.example.org`,
    country: pick(countries), createdAt: date(2005, 2015), updatedAt: date(2016, 2024),
    stats: { bookCount: books.length, averageRating: round2(rated.reduce((s, b) => s + b.rating, 0) / rated.length), totalReviews: books.reduce((s, b) => s + b.reviews.length, 0) },
    books,
  };
});
writeFileSync(join(here, 'nested_root.json'), JSON.stringify({ authors }) + '\n');

#include "json_patch.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sluice/core/json.hpp"

namespace sluice::execution::detail {
namespace {

// Beyond this many element inserts and deletes in the middle of a list, the list is replaced.
constexpr long max_list_edits = 64;
// How many members of an object are looked at when guessing which deleted and inserted list elements correspond.
constexpr std::size_t max_similarity_members = 32;
constexpr std::size_t npos = static_cast<std::size_t>(-1);

// ---- Equality and hashing ----------------------------------------------------------------------------------------

// `d` as an int64 when it is an integer in range (so 2.0 and 2 compare, hash and serialise alike).
bool exact_int(double d, std::int64_t& i) noexcept {
  if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0) || std::trunc(d) != d) return false;
  i = static_cast<std::int64_t>(d);
  return true;
}

bool numbers_equal(const value& a, const value& b) noexcept {
  if (a.is_int() && b.is_int()) return a.as_int() == b.as_int();
  if (a.is_float() && b.is_float()) return a.as_float() == b.as_float();
  const value& i = a.is_int() ? a : b;
  const value& f = a.is_int() ? b : a;
  std::int64_t n = 0;
  return exact_int(f.as_float(), n) && n == i.as_int();
}

// The index of the member `name` in `o` (npos when absent), looking at `hint` first: members usually come in the
// same order on both sides.
std::size_t find_member(const object& o, std::string_view name, std::size_t hint) noexcept {
  if (hint < o.size() && o[hint].name == name) return hint;
  for (std::size_t i = 0; i < o.size(); ++i) {
    if (o[i].name == name) return i;
  }
  return npos;
}

// Deep equality as JSON: objects unordered, numbers by value, opaque values never equal (not even to themselves).
bool deep_equal(const value& a, const value& b) noexcept {
  if (a.type() != b.type()) return a.is_number() && b.is_number() && numbers_equal(a, b);
  switch (a.type()) {
    case value::kind::null: return true;
    case value::kind::boolean: return a.as_bool() == b.as_bool();
    case value::kind::integer:
    case value::kind::floating: return numbers_equal(a, b);
    case value::kind::string: return a.as_string() == b.as_string();
    case value::kind::list: {
      const auto& x = a.as_list();
      const auto& y = b.as_list();
      if (x.size() != y.size()) return false;
      for (std::size_t i = 0; i < x.size(); ++i) {
        if (!deep_equal(x[i], y[i])) return false;
      }
      return true;
    }
    case value::kind::object: {
      const auto& x = a.as_object();
      const auto& y = b.as_object();
      if (x.size() != y.size()) return false;
      std::size_t hint = 0;
      for (const auto& m : x) {
        const std::size_t j = find_member(y, m.name, hint);
        if (j == npos || !deep_equal(m.val, y[j].val)) return false;
        hint = j + 1;
      }
      return true;
    }
    case value::kind::opaque: return false;
  }
  return false;
}

std::uint64_t mix(std::uint64_t x) noexcept {  // splitmix64's finaliser
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

std::uint64_t hash_string(std::string_view s) noexcept { return mix(std::hash<std::string_view>{}(s) + 5); }

// A hash consistent with deep_equal (equal values hash alike; member order does not matter).
std::uint64_t hash_value(const value& v) noexcept {
  switch (v.type()) {
    case value::kind::null: return mix(1);
    case value::kind::boolean: return mix(v.as_bool() ? 2 : 3);
    case value::kind::integer: return mix(static_cast<std::uint64_t>(v.as_int()) ^ 0x9e3779b97f4a7c15ULL);
    case value::kind::floating: {
      std::int64_t i = 0;
      if (exact_int(v.as_float(), i)) return mix(static_cast<std::uint64_t>(i) ^ 0x9e3779b97f4a7c15ULL);
      return mix(std::bit_cast<std::uint64_t>(v.as_float()) + 4);
    }
    case value::kind::string: return hash_string(v.as_string());
    case value::kind::list: {
      std::uint64_t h = 6;
      for (const auto& item : v.as_list()) h = mix(h + hash_value(item));
      return h;
    }
    case value::kind::object: {
      std::uint64_t h = 7 + v.as_object().size();
      for (const auto& m : v.as_object()) h += mix(hash_string(m.name) ^ (hash_value(m.val) * 0x2545f4914f6cdd1dULL));
      return mix(h);
    }
    case value::kind::opaque: return mix(8);
  }
  return 0;
}

// Numbers the elements of two ranges so that deeply equal elements get equal ids (Myers then compares ids).
class element_ids {
 public:
  explicit element_ids(std::size_t expected) { heads_.reserve(expected); }

  std::uint32_t operator()(const value& v) {
    const auto [it, inserted] = heads_.try_emplace(hash_value(v), static_cast<std::uint32_t>(reps_.size()));
    if (!inserted) {
      for (std::uint32_t r = it->second;; r = next_[r]) {
        if (deep_equal(*reps_[r], v)) return r;
        if (next_[r] == no_next) {
          next_[r] = static_cast<std::uint32_t>(reps_.size());
          break;
        }
      }
    }
    reps_.push_back(&v);
    next_.push_back(no_next);
    return static_cast<std::uint32_t>(reps_.size() - 1);
  }

 private:
  static constexpr std::uint32_t no_next = static_cast<std::uint32_t>(-1);
  std::unordered_map<std::uint64_t, std::uint32_t> heads_;  // hash -> first representative
  std::vector<const value*> reps_;                           // one element per id
  std::vector<std::uint32_t> next_;                          // the next representative with the same hash
};

// ---- Myers' O(ND) difference ---------------------------------------------------------------------------------------

struct match {
  std::size_t x, y;
};

// The matched pairs (in order) of a shortest edit script turning `a` into `b` (E. Myers, "An O(ND) Difference
// Algorithm and Its Variations", 1986: the greedy forward search, keeping each round's V to trace the path back);
// nullopt when it takes more than `max_d` inserts and deletes.
std::optional<std::vector<match>> myers_matches(const std::vector<std::uint32_t>& a,
                                                const std::vector<std::uint32_t>& b, long max_d) {
  const long n = static_cast<long>(a.size());
  const long m = static_cast<long>(b.size());
  const long dmax = std::min(n + m, max_d);
  const long offset = dmax + 1;
  std::vector<long> v(static_cast<std::size_t>(2 * dmax + 3), 0);
  // trace holds, for each round d, v[-d-1 .. d+1] as it was before the round (all that round d reads).
  std::vector<long> trace;
  std::vector<std::size_t> trace_start;
  for (long d = 0; d <= dmax; ++d) {
    trace_start.push_back(trace.size());
    trace.insert(trace.end(), v.begin() + (offset - d - 1), v.begin() + (offset + d + 2));
    for (long k = -d; k <= d; k += 2) {
      long x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1])) ? v[offset + k + 1]
                                                                              : v[offset + k - 1] + 1;
      long y = x - k;
      while (x < n && y < m && a[static_cast<std::size_t>(x)] == b[static_cast<std::size_t>(y)]) ++x, ++y;
      v[offset + k] = x;
      if (x < n || y < m) continue;
      // Found at round d: walk back through the rounds, collecting the diagonal (matching) moves.
      std::vector<match> matches;
      for (long r = d; r > 0; --r) {
        const long* before = &trace[trace_start[static_cast<std::size_t>(r)]] + r + 1;  // before[k] = v[k]
        const long kk = x - y;
        const bool down = kk == -r || (kk != r && before[kk - 1] < before[kk + 1]);
        const long pk = down ? kk + 1 : kk - 1;
        const long px = before[pk];
        const long py = px - pk;
        const long mid_x = down ? px : px + 1;
        while (x > mid_x) {
          --x, --y;
          matches.push_back({static_cast<std::size_t>(x), static_cast<std::size_t>(y)});
        }
        x = px;
        y = py;
      }
      while (x > 0 && y > 0) {
        --x, --y;
        matches.push_back({static_cast<std::size_t>(x), static_cast<std::size_t>(y)});
      }
      std::reverse(matches.begin(), matches.end());
      return matches;
    }
  }
  return std::nullopt;
}

// How alike two elements look, to pair a deleted element with the inserted one it was probably modified into:
// the number of scalar members (an id, a __typename...) two objects have in common.
std::size_t similarity(const value& a, const value& b) noexcept {
  if (!a.is_object() || !b.is_object()) return 0;
  const auto& x = a.as_object();
  const auto& y = b.as_object();
  std::size_t score = 0;
  for (std::size_t j = 0; j < y.size() && j < max_similarity_members; ++j) {
    if (y[j].val.is_object() || y[j].val.is_list()) continue;
    const std::size_t i = find_member(x, y[j].name, j);
    if (i != npos && deep_equal(x[i].val, y[j].val)) ++score;
  }
  return score;
}

// The length of json::write(v) when it is at most `limit`; otherwise some number above `limit` (computed without
// walking all of a large value).
std::size_t bounded_measure(const value& v, std::size_t limit) {
  const auto rest = [&](std::size_t n) { return n >= limit ? 0 : limit - n; };
  if (v.is_list()) {
    std::size_t n = 1;
    for (const auto& item : v.as_list()) {
      if (n > limit) return n;
      if (n > 1) ++n;
      n += bounded_measure(item, rest(n));
    }
    return n + 1;
  }
  if (v.is_object()) {
    std::size_t n = 1;
    for (const auto& m : v.as_object()) {
      if (n > limit) return n;
      if (n > 1) ++n;
      n += json::measure_string(m.name) + 1;
      n += bounded_measure(m.val, rest(n));
    }
    return n + 1;
  }
  return json::measure(v);
}

// ---- The diff --------------------------------------------------------------------------------------------------

constexpr std::string_view replace_head = R"({"op":"replace","path":)";
constexpr std::string_view value_head = R"(,"value":)";

class patch_writer {
 public:
  explicit patch_writer(std::string& out) : out_(out) {}

  void diff(const value& a, const value& b) {
    if (a.is_object() && b.is_object()) {
      guarded(b, [&] { diff_object(a.as_object(), b.as_object()); });
    } else if (a.is_list() && b.is_list()) {
      guarded(b, [&] { diff_list(a.as_list(), b.as_list(), b); });
    } else if (!deep_equal(a, b)) {
      replace(b);
    }
  }

 private:
  // Runs `body` (the operations inside the object or list `b` is the new value of); when they come out longer
  // than one `replace` of the whole of `b`, writes that instead.
  template <typename Body>
  void guarded(const value& b, Body&& body) {
    const std::size_t start = out_.size();
    const bool was_first = first_;
    body();
    const std::size_t written = out_.size() - start;
    if (written == 0) return;
    const std::size_t overhead =
        (was_first ? 0 : 1) + replace_head.size() + json::measure_string(path_) + value_head.size() + 1;
    if (written <= overhead) return;
    const std::size_t limit = written - overhead;  // replacing is shorter when b's text is shorter than this
    if (bounded_measure(b, limit) < limit) {
      out_.resize(start);
      first_ = was_first;
      replace(b);
    }
  }

  void diff_object(const object& x, const object& y) {
    std::size_t hint = 0;
    for (const auto& m : x) {
      const std::size_t j = find_member(y, m.name, hint);
      const std::size_t mark = push_key(m.name);
      if (j == npos) {
        remove();
      } else {
        diff(m.val, y[j].val);
        hint = j + 1;
      }
      path_.resize(mark);
    }
    hint = 0;
    for (const auto& m : y) {
      const std::size_t i = find_member(x, m.name, hint);
      if (i != npos) {
        hint = i + 1;
        continue;
      }
      const std::size_t mark = push_key(m.name);
      add(m.val);
      path_.resize(mark);
    }
  }

  void diff_list(const list& x, const list& y, const value& whole) {
    // The common prefix and suffix.
    std::size_t p = 0;
    while (p < x.size() && p < y.size() && deep_equal(x[p], y[p])) ++p;
    std::size_t s = 0;
    while (s < x.size() - p && s < y.size() - p && deep_equal(x[x.size() - 1 - s], y[y.size() - 1 - s])) ++s;
    const std::size_t n = x.size() - p - s;
    const std::size_t m = y.size() - p - s;
    if (n == 0 && m == 0) return;
    // Only inserts, only deletes, or one element changed: nothing to search for.
    if (n == 0 || m == 0 || (n == 1 && m == 1)) {
      emit_gap(x, y, p, p + n, p, p + m);
      return;
    }
    std::vector<std::uint32_t> a(n);
    std::vector<std::uint32_t> b(m);
    element_ids ids(n + m);
    for (std::size_t i = 0; i < n; ++i) a[i] = ids(x[p + i]);
    for (std::size_t j = 0; j < m; ++j) b[j] = ids(y[p + j]);
    const auto matches = myers_matches(a, b, max_list_edits);
    if (!matches) {
      replace(whole);
      return;
    }
    // The gaps between matched elements, emitted from the last to the first so that each operation's index is
    // still the element's index in `x` (everything before it is untouched so far).
    std::size_t next_x = p + n;
    std::size_t next_y = p + m;
    for (std::size_t k = matches->size() + 1; k-- > 0;) {
      const std::size_t mx = k == 0 ? p : p + (*matches)[k - 1].x + 1;
      const std::size_t my = k == 0 ? p : p + (*matches)[k - 1].y + 1;
      if (mx < next_x || my < next_y) emit_gap(x, y, mx, next_x, my, next_y);
      if (k > 0) {
        next_x = p + (*matches)[k - 1].x;
        next_y = p + (*matches)[k - 1].y;
      }
    }
  }

  // Turns x[i0, i1) into y[j0, j1), at index i0 of a list whose elements before i0 are still those of x. As many
  // deleted and inserted elements as possible are paired up and diffed; the rest are removed or added.
  void emit_gap(const list& x, const list& y, std::size_t i0, std::size_t i1, std::size_t j0, std::size_t j1) {
    const std::size_t nd = i1 - i0;
    const std::size_t ni = j1 - j0;
    const std::size_t k = std::min(nd, ni);
    // The pairs are a contiguous run of the longer side: at the offset where they look most alike.
    std::size_t offset = 0;
    if (k > 0 && nd != ni) {
      std::size_t best = 0;
      const std::size_t spread = nd > ni ? nd - ni : ni - nd;
      for (std::size_t o = 0; o <= spread; ++o) {
        std::size_t score = 0;
        for (std::size_t t = 0; t < k; ++t) {
          score += nd > ni ? similarity(x[i0 + o + t], y[j0 + t]) : similarity(x[i0 + t], y[j0 + o + t]);
        }
        if (score > best) best = score, offset = o;
      }
    }
    if (nd >= ni) {
      // Deletes x[i0, i0+offset), pairs x[i0+offset+t] with y[j0+t], deletes x[i0+offset+k, i1): from the end.
      for (std::size_t i = i1; i-- > i0 + offset + k;) at_index(i, [&] { remove(); });
      for (std::size_t t = k; t-- > 0;) {
        at_index(i0 + offset + t, [&] { diff(x[i0 + offset + t], y[j0 + t]); });
      }
      for (std::size_t i = i0 + offset; i-- > i0;) at_index(i, [&] { remove(); });
    } else {
      // Inserts y[j0, j0+offset), pairs x[i0+t] with y[j0+offset+t], inserts y[j0+offset+k, j1): from the end.
      for (std::size_t u = 0; u < ni - offset - k; ++u) at_index(i0 + k + u, [&] { add(y[j0 + offset + k + u]); });
      for (std::size_t t = k; t-- > 0;) at_index(i0 + t, [&] { diff(x[i0 + t], y[j0 + offset + t]); });
      for (std::size_t u = 0; u < offset; ++u) at_index(i0 + u, [&] { add(y[j0 + u]); });
    }
  }

  template <typename Body>
  void at_index(std::size_t i, Body&& body) {
    const std::size_t mark = path_.size();
    char digits[24];
    const auto r = std::to_chars(digits, digits + sizeof digits, i);
    path_.push_back('/');
    path_.append(digits, r.ptr);
    body();
    path_.resize(mark);
  }

  std::size_t push_key(std::string_view key) {
    const std::size_t mark = path_.size();
    path_.push_back('/');
    for (char c : key) {
      if (c == '~') {
        path_ += "~0";
      } else if (c == '/') {
        path_ += "~1";
      } else {
        path_.push_back(c);
      }
    }
    return mark;
  }

  void begin(std::string_view op) {
    if (!first_) out_.push_back(',');
    first_ = false;
    out_ += R"({"op":")";
    out_ += op;
    out_ += R"(","path":)";
    json::write_string(out_, path_);
  }
  void with_value(std::string_view op, const value& v) {
    begin(op);
    out_ += value_head;
    json::write(out_, v);
    out_.push_back('}');
  }
  void replace(const value& v) { with_value("replace", v); }
  void add(const value& v) { with_value("add", v); }
  void remove() {
    begin("remove");
    out_.push_back('}');
  }

  std::string& out_;
  std::string path_;  // the JSON pointer of the value being diffed
  bool first_ = true;
};

// ---- Applying a patch -------------------------------------------------------------------------------------------

struct patch_failure {
  std::string message;
};

std::vector<std::string> parse_pointer(std::string_view text) {
  std::vector<std::string> tokens;
  if (text.empty()) return tokens;
  if (text[0] != '/') throw patch_failure{"a JSON pointer must be empty or start with '/'"};
  std::size_t i = 1;
  for (;;) {
    std::string token;
    while (i < text.size() && text[i] != '/') {
      const char c = text[i++];
      if (c != '~') {
        token.push_back(c);
      } else if (i < text.size() && (text[i] == '0' || text[i] == '1')) {
        token.push_back(text[i++] == '0' ? '~' : '/');
      } else {
        throw patch_failure{"'~' must be followed by '0' or '1' in a JSON pointer"};
      }
    }
    tokens.push_back(std::move(token));
    if (i >= text.size()) break;
    ++i;
  }
  return tokens;
}

// A list index token (decimal, no leading zeros) that must be below `bound`.
std::size_t parse_index(const std::string& token, std::size_t bound) {
  std::size_t i = 0;
  const bool digits = !token.empty() && token.size() <= 18 &&
                      std::all_of(token.begin(), token.end(), [](char c) { return c >= '0' && c <= '9'; }) &&
                      (token.size() == 1 || token[0] != '0');
  if (digits) std::from_chars(token.data(), token.data() + token.size(), i);
  if (!digits) throw patch_failure{"\"" + token + "\" is not a list index"};
  if (i >= bound) throw patch_failure{"index " + token + " is out of range"};
  return i;
}

// The value at tokens[0, count).
value& resolve(value& root, const std::vector<std::string>& tokens, std::size_t count) {
  value* cur = &root;
  for (std::size_t t = 0; t < count; ++t) {
    if (cur->is_object()) {
      value* next = cur->find(tokens[t]);
      if (!next) throw patch_failure{"no member \"" + tokens[t] + "\""};
      cur = next;
    } else if (cur->is_list()) {
      cur = &cur->as_list()[parse_index(tokens[t], cur->as_list().size())];
    } else {
      throw patch_failure{"\"" + tokens[t] + "\" is below a scalar"};
    }
  }
  return *cur;
}

void add_at(value& root, const std::vector<std::string>& tokens, value v) {
  if (tokens.empty()) {
    root = std::move(v);
    return;
  }
  value& parent = resolve(root, tokens, tokens.size() - 1);
  const std::string& last = tokens.back();
  if (parent.is_object()) {
    parent.set(last, std::move(v));
  } else if (parent.is_list()) {
    auto& l = parent.as_list();
    const std::size_t i = last == "-" ? l.size() : parse_index(last, l.size() + 1);
    l.insert(l.begin() + static_cast<std::ptrdiff_t>(i), std::move(v));
  } else {
    throw patch_failure{"cannot add below a scalar"};
  }
}

value remove_at(value& root, const std::vector<std::string>& tokens) {
  if (tokens.empty()) throw patch_failure{"cannot remove the whole document"};
  value& parent = resolve(root, tokens, tokens.size() - 1);
  const std::string& last = tokens.back();
  if (parent.is_object()) {
    auto& o = parent.as_object();
    const auto it = std::find_if(o.begin(), o.end(), [&](const member& m) { return m.name == last; });
    if (it == o.end()) throw patch_failure{"no member \"" + last + "\" to remove"};
    value removed = std::move(it->val);
    o.erase(it);
    return removed;
  }
  if (parent.is_list()) {
    auto& l = parent.as_list();
    const std::size_t i = parse_index(last, l.size());
    value removed = std::move(l[i]);
    l.erase(l.begin() + static_cast<std::ptrdiff_t>(i));
    return removed;
  }
  throw patch_failure{"cannot remove below a scalar"};
}

const value& member_of(const value& op, std::string_view name) {
  const value* v = op.find(name);
  if (!v) throw patch_failure{"the operation has no \"" + std::string(name) + "\""};
  return *v;
}

const std::string& string_member(const value& op, std::string_view name) {
  const value& v = member_of(op, name);
  if (!v.is_string()) throw patch_failure{"\"" + std::string(name) + "\" must be a string"};
  return v.as_string();
}

void apply_operation(value& doc, const value& op) {
  if (!op.is_object()) throw patch_failure{"an operation must be an object"};
  const std::string& name = string_member(op, "op");
  const auto path = parse_pointer(string_member(op, "path"));
  if (name == "add") {
    add_at(doc, path, member_of(op, "value"));
  } else if (name == "remove") {
    (void)remove_at(doc, path);
  } else if (name == "replace") {
    value& target = resolve(doc, path, path.size());
    target = member_of(op, "value");
  } else if (name == "test") {
    if (!deep_equal(resolve(doc, path, path.size()), member_of(op, "value"))) throw patch_failure{"test failed"};
  } else if (name == "move" || name == "copy") {
    const auto from = parse_pointer(string_member(op, "from"));
    if (name == "copy") {
      add_at(doc, path, resolve(doc, from, from.size()));
    } else if (from.size() < path.size() && std::equal(from.begin(), from.end(), path.begin())) {
      throw patch_failure{"cannot move a value into itself"};
    } else if (from != path) {
      add_at(doc, path, remove_at(doc, from));
    } else {
      (void)resolve(doc, from, from.size());
    }
  } else {
    throw patch_failure{"unknown operation \"" + name + "\""};
  }
}

}  // namespace

void write_json_patch(std::string& out, const sluice::value& from, const sluice::value& to) {
  out.push_back('[');
  patch_writer(out).diff(from, to);
  out.push_back(']');
}

std::optional<sluice::value> apply_json_patch(const sluice::value& doc, const sluice::value& patch, std::string* error) {
  if (!patch.is_list()) {
    if (error) *error = "a patch must be a list of operations";
    return std::nullopt;
  }
  value result = doc;
  const auto& ops = patch.as_list();
  for (std::size_t i = 0; i < ops.size(); ++i) {
    try {
      apply_operation(result, ops[i]);
    } catch (const patch_failure& f) {
      if (error) {
        const value* path = ops[i].find("path");
        *error = "operation " + std::to_string(i);
        if (path && path->is_string()) *error += " (path \"" + path->as_string() + "\")";
        *error += ": " + f.message;
      }
      return std::nullopt;
    }
  }
  return result;
}

}  // namespace sluice::execution::detail

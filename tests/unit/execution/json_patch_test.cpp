// JSON Patch (RFC 6902) tests: the exact deltas live queries send, their application, and a randomised round trip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "execution/json_patch.hpp"
#include "sluice/core/json.hpp"

namespace sluice::execution::detail {
namespace {

sluice::value parse(std::string_view text) {
  auto v = json::parse(text);
  EXPECT_TRUE(v.has_value()) << text;
  return v ? *v : sluice::value{};
}

std::string diff(const sluice::value& from, const sluice::value& to) {
  std::string out;
  write_json_patch(out, from, to);
  return out;
}

// The patch from `from` to `to` (JSON texts), checking that it applies back to exactly `to`'s text.
std::string diff_text(std::string_view from, std::string_view to) {
  const auto a = parse(from);
  const auto b = parse(to);
  std::string patch = diff(a, b);
  std::string error;
  const auto applied = apply_json_patch(a, parse(patch), &error);
  EXPECT_TRUE(applied.has_value()) << patch << ": " << error;
  if (applied) {
    EXPECT_EQ(json::to_string(*applied), json::to_string(b)) << patch;
  }
  return patch;
}

// A long string: keeps the documents below big enough that nested operations are shorter than a `replace`.
const std::string pad(120, 'x');

// {"id":i,"text":"<pad>i"}
std::string item(int i) { return R"({"id":)" + std::to_string(i) + R"(,"text":")" + pad + std::to_string(i) + "\"}"; }

// {"feed":[item(ids[0]),...]}
std::string feed(const std::vector<int>& ids) {
  std::string s = R"({"feed":[)";
  for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? "," : "") + item(ids[i]);
  return s + "]}";
}

std::vector<int> range(int first, int last) {  // first, first-1, ..., last (newest first)
  std::vector<int> ids;
  for (int i = first; i >= last; --i) ids.push_back(i);
  return ids;
}

TEST(JsonPatch, ScalarAtRootIsReplaced) {
  EXPECT_EQ(diff_text("1", "2"), R"([{"op":"replace","path":"","value":2}])");
  EXPECT_EQ(diff_text("true", R"("x")"), R"([{"op":"replace","path":"","value":"x"}])");
  EXPECT_EQ(diff_text("null", "1.5"), R"([{"op":"replace","path":"","value":1.5}])");
  EXPECT_EQ(diff_text("1", "1e21"), R"([{"op":"replace","path":"","value":1e+21}])");
}

TEST(JsonPatch, EqualDocumentsGiveAnEmptyPatch) {
  const std::string doc = R"({"a":[1,{"b":null,"c":[true,"s"]}],"d":1.5,"e":{}})";
  EXPECT_EQ(diff_text(doc, doc), "[]");
  EXPECT_EQ(diff_text("[]", "[]"), "[]");
  // An integer and a float of the same value serialise alike.
  EXPECT_EQ(diff(sluice::value(2), sluice::value(2.0)), "[]");
  // Objects are unordered in RFC 6902: member order alone is no change (documented: patches do not carry it).
  EXPECT_EQ(diff(parse(R"({"a":1,"b":2})"), parse(R"({"b":2,"a":1})")), "[]");
}

TEST(JsonPatch, MembersAreAddedRemovedAndReplaced) {
  const std::string from = R"({"a":1,"b":2,"c":3,"pad":")" + pad + "\"}";
  const std::string to = R"({"a":1,"c":4,"pad":")" + pad + R"(","d":{"e":5}})";
  EXPECT_EQ(diff_text(from, to),
            R"([{"op":"remove","path":"/b"},{"op":"replace","path":"/c","value":4},)"
            R"({"op":"add","path":"/d","value":{"e":5}}])");
}

TEST(JsonPatch, NestedChange) {
  const std::string from = R"({"user":{"id":"1","name":"Ada","bio":")" + pad + R"(","tags":["a","b"]}})";
  const std::string to = R"({"user":{"id":"1","name":"Grace","bio":")" + pad + R"(","tags":["a","b"]}})";
  EXPECT_EQ(diff_text(from, to), R"([{"op":"replace","path":"/user/name","value":"Grace"}])");
}

TEST(JsonPatch, NewestFirstListGainsAnElementAtTheFrontAndLosesTheLast) {
  // 10..1 becomes 11..2: one add at the front, one remove of the last (removed first, at its index in `from`).
  EXPECT_EQ(diff_text(feed(range(10, 1)), feed(range(11, 2))),
            R"([{"op":"remove","path":"/feed/9"},{"op":"add","path":"/feed/0","value":)" + item(11) + "}]");
}

TEST(JsonPatch, AppendAddsAtTheEnd) {
  EXPECT_EQ(diff_text(feed({1, 2, 3}), feed({1, 2, 3, 4, 5})),
            R"([{"op":"add","path":"/feed/3","value":)" + item(4) + R"(},{"op":"add","path":"/feed/4","value":)" +
                item(5) + "}]");
  EXPECT_EQ(diff_text("[1]", "[1,2]"), R"([{"op":"add","path":"/1","value":2}])");
}

TEST(JsonPatch, TruncationRemovesFromTheEnd) {
  EXPECT_EQ(diff_text(feed(range(10, 1)), feed(range(10, 4))),
            R"([{"op":"remove","path":"/feed/9"},{"op":"remove","path":"/feed/8"},)"
            R"({"op":"remove","path":"/feed/7"}])");
}

TEST(JsonPatch, ElementModifiedInTheMiddleGetsNestedOperations) {
  std::string to = feed(range(10, 1));
  const std::string old_text = pad + "5\"";
  to.replace(to.find(old_text), old_text.size(), "edited\"");
  EXPECT_EQ(diff_text(feed(range(10, 1)), to), R"([{"op":"replace","path":"/feed/5/text","value":"edited"}])");
  // A scalar element is replaced in place, not removed and added.
  EXPECT_EQ(diff_text("[1,2,3,4,5,6,7,8]", "[1,2,3,9,5,6,7,8]"), R"([{"op":"replace","path":"/3","value":9}])");
  // Several modified elements: each gets its own nested operation.
  std::string two = feed(range(10, 1));
  for (int i : {8, 3}) {
    const std::string t = pad + std::to_string(i) + "\"";
    two.replace(two.find(t), t.size(), "\"");
  }
  EXPECT_EQ(diff_text(feed(range(10, 1)), two),
            R"([{"op":"replace","path":"/feed/7/text","value":""},{"op":"replace","path":"/feed/2/text","value":""}])");
}

TEST(JsonPatch, DeletionNextToAModifiedElementPairsTheLookalikes) {
  // 4 is deleted and 3 modified: 3 is diffed with its new self (same id), not with 4.
  std::string to = feed({5, 3, 2});
  const std::string t = pad + "3\"";
  to.replace(to.find(t), t.size(), "new\"");
  EXPECT_EQ(diff_text(feed({5, 4, 3, 2}), to),
            R"([{"op":"replace","path":"/feed/2/text","value":"new"},{"op":"remove","path":"/feed/1"}])");
}

TEST(JsonPatch, KindChangeIsAReplace) {
  const std::string rest = R"(,"pad":")" + pad + "\"}";
  EXPECT_EQ(diff_text(R"({"a":[1,2])" + rest, R"({"a":{"x":1})" + rest),
            R"([{"op":"replace","path":"/a","value":{"x":1}}])");
  EXPECT_EQ(diff_text(R"({"a":"1")" + rest, R"({"a":1)" + rest), R"([{"op":"replace","path":"/a","value":1}])");
  EXPECT_EQ(diff_text("[1]", R"({"0":1})"), R"([{"op":"replace","path":"","value":{"0":1}}])");
}

TEST(JsonPatch, KeysAreEscapedAsJsonPointers) {
  const std::string rest = R"(,"pad":")" + pad + "\"}";
  EXPECT_EQ(diff_text(R"({"a/b":1,"m~n":{"x":1},"~1":1,"q\"k":1,"":1)" + rest,
                      R"({"a/b":2,"m~n":{"x":2},"~1":2,"q\"k":2,"":2)" + rest),
            R"([{"op":"replace","path":"/a~1b","value":2},{"op":"replace","path":"/m~0n/x","value":2},)"
            R"({"op":"replace","path":"/~01","value":2},{"op":"replace","path":"/q\"k","value":2},)"
            R"({"op":"replace","path":"/","value":2}])");
}

TEST(JsonPatch, SmallDocumentsAreReplacedWhenThatIsShorter) {
  // Three operations would be longer than the new document itself.
  EXPECT_EQ(diff_text(R"({"a":1,"b":2})", R"({"a":3,"c":4})"), R"([{"op":"replace","path":"","value":{"a":3,"c":4}}])");
  EXPECT_EQ(diff_text("[1,2,3]", "[3,2,1]"), R"([{"op":"replace","path":"","value":[3,2,1]}])");
}

TEST(JsonPatch, ListsNeedingMoreThan64EditsAreReplaced) {
  // Reversing 100 long elements needs 198 inserts and deletes.
  std::vector<int> up(100);
  for (int i = 0; i < 100; ++i) up[static_cast<std::size_t>(i)] = i;
  std::vector<int> down(up.rbegin(), up.rend());
  const std::string patch = diff_text(feed(up), feed(down));
  EXPECT_EQ(patch.rfind(R"([{"op":"replace","path":"/feed","value":[)", 0), 0u) << patch.substr(0, 200);
  EXPECT_EQ(std::count(patch.begin(), patch.end(), '{'), 101);  // one operation (and 100 items)
  // Thirty scattered inserts are within the limit.
  std::vector<int> spread;
  for (int i = 0; i < 100; ++i) {
    spread.push_back(i);
    if (i % 3 == 0 && i < 90) spread.push_back(1000 + i);
  }
  const std::string inserts = diff_text(feed(up), feed(spread));
  std::size_t adds = 0;
  for (std::size_t at = inserts.find(R"("op":"add")"); at != std::string::npos; at = inserts.find(R"("op":"add")", at + 1))
    ++adds;
  EXPECT_EQ(adds, 30u);
  EXPECT_EQ(inserts.find(R"("op":"remove")"), std::string::npos);
  EXPECT_EQ(inserts.find(R"("op":"replace")"), std::string::npos);
}

TEST(JsonPatch, OpaqueValuesAreNeverEqual) {
  const auto o = sluice::value::from_pointer(&pad);
  EXPECT_EQ(diff(o, o), R"([{"op":"replace","path":"","value":null}])");
}

TEST(JsonPatch, SingleElementEditsOfALongListAreSmall) {
  auto make = [](const std::vector<int>& ids) {
    std::string s = R"({"items":[)";
    for (std::size_t i = 0; i < ids.size(); ++i) {
      s += (i ? "," : "") + (R"({"id":)" + std::to_string(ids[i]) + R"(,"title":"Item )" + std::to_string(ids[i]) +
                              R"(","done":false})");
    }
    return parse(s + "]}");
  };
  std::vector<int> ids(100);
  for (int i = 0; i < 100; ++i) ids[static_cast<std::size_t>(i)] = i;
  const auto base = make(ids);
  std::vector<sluice::value> edits;
  for (std::size_t at : {0u, 50u, 100u}) {  // inserts
    auto v = ids;
    v.insert(v.begin() + static_cast<std::ptrdiff_t>(at), 1000);
    edits.push_back(make(v));
  }
  for (std::size_t at : {0u, 50u, 99u}) {  // deletes
    auto v = ids;
    v.erase(v.begin() + static_cast<std::ptrdiff_t>(at));
    edits.push_back(make(v));
  }
  for (std::size_t at : {0u, 50u, 99u}) {  // a modified member; a replaced element
    auto v = base;
    v.as_object()[0].val.as_list()[at].as_object()[2].val = true;
    edits.push_back(v);
    auto w = base;
    w.as_object()[0].val.as_list()[at] = parse(R"({"id":7777,"title":"Other","done":true})");
    edits.push_back(w);
  }
  {  // newest first: one in at the front, one out at the end
    auto v = ids;
    v.insert(v.begin(), 1000);
    v.pop_back();
    edits.push_back(make(v));
  }
  for (const auto& to : edits) {
    const std::string patch = diff(base, to);
    EXPECT_LT(patch.size(), 200u) << patch;
    const auto applied = apply_json_patch(base, parse(patch));
    ASSERT_TRUE(applied.has_value()) << patch;
    EXPECT_EQ(json::to_string(*applied), json::to_string(to));
  }
}

// ---- The randomised round trip ---------------------------------------------------------------------------------

class rng {
 public:
  explicit rng(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next() {  // splitmix64
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
  bool chance(std::size_t percent) { return below(100) < percent; }

 private:
  std::uint64_t s_;
};

const char* const keys[] = {"a", "b", "id", "name", "a/b", "~", "~1", "", "q\"", "\xc3\xa9", "items", "node"};
const char* const strings[] = {"", "x", "y", "hello", "a/b~c", "quote\"", "line\nbreak", "\xe2\x82\xac"};

sluice::value random_value(rng& r, int depth);

sluice::value random_scalar(rng& r) {
  switch (r.below(7)) {
    case 0: return sluice::value{};
    case 1: return sluice::value(r.chance(50));
    case 2: return sluice::value(static_cast<long long>(r.below(7)) - 2);
    case 3: return sluice::value(static_cast<double>(r.below(9)) / 4.0 - 1.0);  // often an integral float
    case 4: {
      const double odd[] = {1e21, 1.5e-7, -0.0, 123456.789, 9007199254740993.0};
      return sluice::value(odd[r.below(5)]);
    }
    default: return sluice::value(strings[r.below(std::size(strings))]);
  }
}

sluice::value random_value(rng& r, int depth) {
  if (depth >= 4 || r.chance(35)) return random_scalar(r);
  if (r.chance(50)) {
    sluice::list l;
    const std::size_t n = r.below(8);
    for (std::size_t i = 0; i < n; ++i) l.push_back(r.chance(50) ? sluice::value(static_cast<long long>(r.below(4)))
                                                                  : random_value(r, depth + 1));
    return sluice::value(std::move(l));
  }
  sluice::value o{sluice::object{}};
  const std::size_t n = r.below(6);
  for (std::size_t i = 0; i < n; ++i) {
    const char* key = keys[r.below(std::size(keys))];
    if (!o.find(key)) o.as_object().push_back({key, random_value(r, depth + 1)});
  }
  return o;
}

// A related document: elements and members inserted, deleted and modified. With `keep_order`, new members go
// last (as a patch adds them), so the patched text must equal the target's exactly.
sluice::value mutate(rng& r, const sluice::value& v, int depth, bool keep_order) {
  if (r.chance(8)) return random_value(r, depth);
  if (v.is_list()) {
    sluice::list l = v.as_list();
    const std::size_t edits = 1 + r.below(4);
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t op = r.below(3);
      if (op == 0 || l.empty()) {
        l.insert(l.begin() + static_cast<std::ptrdiff_t>(r.below(l.size() + 1)), random_value(r, depth + 1));
      } else if (op == 1) {
        l.erase(l.begin() + static_cast<std::ptrdiff_t>(r.below(l.size())));
      } else {
        auto& target = l[r.below(l.size())];
        target = mutate(r, target, depth + 1, keep_order);
      }
    }
    return sluice::value(std::move(l));
  }
  if (v.is_object()) {
    sluice::object o = v.as_object();
    const std::size_t edits = 1 + r.below(3);
    for (std::size_t e = 0; e < edits; ++e) {
      const std::size_t op = r.below(3);
      if (op == 0 || o.empty()) {
        const std::string key = keys[r.below(std::size(keys))];
        if (std::any_of(o.begin(), o.end(), [&](const member& m) { return m.name == key; })) continue;
        // A member deleted and added again would come back last in `to` but stay in place in the patched copy.
        if (keep_order && v.find(key)) continue;
        const auto at = keep_order ? o.size() : r.below(o.size() + 1);
        o.insert(o.begin() + static_cast<std::ptrdiff_t>(at), member{key, random_value(r, depth + 1)});
      } else if (op == 1) {
        o.erase(o.begin() + static_cast<std::ptrdiff_t>(r.below(o.size())));
      } else {
        auto& target = o[r.below(o.size())].val;
        target = mutate(r, target, depth + 1, keep_order);
      }
    }
    return sluice::value(std::move(o));
  }
  return r.chance(50) ? v : random_scalar(r);
}

// Members sorted by name, recursively: equal JSON gives equal canonical text.
sluice::value canonical(const sluice::value& v) {
  if (v.is_list()) {
    sluice::list l;
    for (const auto& item : v.as_list()) l.push_back(canonical(item));
    return sluice::value(std::move(l));
  }
  if (v.is_object()) {
    sluice::object o;
    for (const auto& m : v.as_object()) o.push_back({m.name, canonical(m.val)});
    std::sort(o.begin(), o.end(), [](const member& a, const member& b) { return a.name < b.name; });
    return sluice::value(std::move(o));
  }
  return v;
}

void expect_round_trip(const sluice::value& from, const sluice::value& to, bool exact) {
  const std::string patch = diff(from, to);
  std::string error;
  const auto parsed = json::parse(patch, &error);
  ASSERT_TRUE(parsed.has_value()) << patch << ": " << error;
  const auto applied = apply_json_patch(from, *parsed, &error);
  ASSERT_TRUE(applied.has_value()) << json::to_string(from) << " -> " << json::to_string(to) << ": " << patch << ": "
                                   << error;
  if (exact) {
    ASSERT_EQ(json::to_string(*applied), json::to_string(to)) << json::to_string(from) << "\npatch " << patch;
  } else {
    ASSERT_EQ(json::to_string(canonical(*applied)), json::to_string(canonical(to)))
        << json::to_string(from) << "\npatch " << patch;
  }
  // Never much longer than sending `to` whole: [{"op":"replace","path":"","value":<to>}].
  ASSERT_LE(patch.size(), json::measure(to) + 37) << patch;
  // Applying the patch to the parsed text of `from` works too (integral floats come back as integers).
  const auto reparsed = apply_json_patch(*json::parse(json::to_string(from)), *parsed, &error);
  ASSERT_TRUE(reparsed.has_value()) << error;
  ASSERT_EQ(json::to_string(canonical(*reparsed)), json::to_string(canonical(to)));
}

TEST(JsonPatchProperty, MutatedDocumentsRoundTripExactly) {
  rng r(20240611);
  for (int i = 0; i < 3000; ++i) {
    sluice::value from = random_value(r, 0);
    if (!from.is_list() && !from.is_object() && r.chance(80)) from = random_value(r, 0);
    const sluice::value to = mutate(r, from, 0, true);
    SCOPED_TRACE(i);
    expect_round_trip(from, to, true);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(JsonPatchProperty, ReorderedAndUnrelatedDocumentsRoundTripAsJson) {
  rng r(7);
  for (int i = 0; i < 3000; ++i) {
    const sluice::value from = random_value(r, 0);
    const sluice::value to = r.chance(70) ? mutate(r, from, 0, false) : random_value(r, 0);
    SCOPED_TRACE(i);
    expect_round_trip(from, to, false);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

// The length of a longest common subsequence (the classic table), to check that list diffs are minimal.
std::size_t lcs(const std::vector<int>& a, const std::vector<int>& b) {
  std::vector<std::vector<std::size_t>> t(a.size() + 1, std::vector<std::size_t>(b.size() + 1, 0));
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j)
      t[i][j] = a[i - 1] == b[j - 1] ? t[i - 1][j - 1] + 1 : std::max(t[i - 1][j], t[i][j - 1]);
  return t[a.size()][b.size()];
}

TEST(JsonPatchProperty, ListEditScriptsAreMinimal) {
  // Long string elements from a small alphabet (so the patch is never shorter as one replace): the adds and
  // removes, counting a replaced element as one of each, are exactly a shortest edit script.
  rng r(99);
  auto text = [](const std::vector<int>& ids) {
    std::string s = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) s += (i ? ",\"" : "\"") + std::string(400, 'a') + std::to_string(ids[i]) + "\"";
    return s + "]";
  };
  int checked = 0;
  for (int i = 0; i < 1000; ++i) {
    std::vector<int> a(r.below(25));
    std::vector<int> b(r.below(25));
    for (auto& x : a) x = static_cast<int>(r.below(5));
    for (auto& x : b) x = static_cast<int>(r.below(5));
    const std::string patch = diff_text(text(a), text(b));
    auto count = [&](std::string_view op) {
      std::size_t n = 0;
      for (std::size_t at = patch.find(op); at != std::string::npos; at = patch.find(op, at + 1)) ++n;
      return n;
    };
    if (patch.find(R"("path":"")") != std::string::npos) continue;  // replaced whole: shorter
    ++checked;
    EXPECT_EQ(count(R"("op":"add")") + count(R"("op":"remove")") + 2 * count(R"("op":"replace")"),
              a.size() + b.size() - 2 * lcs(a, b))
        << text(a) << " -> " << text(b) << ": " << patch;
  }
  EXPECT_GT(checked, 800) << checked;
}

// ---- apply_json_patch --------------------------------------------------------------------------------------------

std::optional<sluice::value> apply(std::string_view doc, std::string_view patch, std::string* error = nullptr) {
  return apply_json_patch(parse(doc), parse(patch), error);
}

TEST(JsonPatchApply, AppliesEveryOperation) {
  const auto out = apply(R"({"a":{"b":[1,2,3]},"c":"x"})",
                         R"([{"op":"add","path":"/a/b/-","value":4},{"op":"add","path":"/a/b/0","value":0},)"
                         R"({"op":"remove","path":"/a/b/2"},{"op":"replace","path":"/c","value":{"d":null}},)"
                         R"({"op":"test","path":"/a/b","value":[0,1,3,4.0]},{"op":"copy","from":"/a/b/1","path":"/e"},)"
                         R"({"op":"move","from":"/c","path":"/a/c"},{"op":"add","path":"/a/b","value":"over"}])");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(json::to_string(*out), R"({"a":{"b":"over","c":{"d":null}},"e":1})");
  EXPECT_EQ(json::to_string(*apply("[1]", R"([{"op":"replace","path":"","value":{"~/":2}}])")), R"({"~/":2})");
  EXPECT_EQ(json::to_string(*apply(R"({"~/":2})", R"([{"op":"remove","path":"/~0~1"}])")), "{}");
  EXPECT_EQ(json::to_string(*apply(R"({"a":1})", "[]")), R"({"a":1})");
}

TEST(JsonPatchApply, RejectsBadPaths) {
  std::string error;
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"replace","path":"a","value":2}])", &error));
  EXPECT_NE(error.find("start with '/'"), std::string::npos) << error;
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"replace","path":"/~2","value":2}])", &error));
  EXPECT_NE(error.find("'~'"), std::string::npos) << error;
  EXPECT_FALSE(apply(R"({"a":{"b":1}})", R"([{"op":"add","path":"/x/b","value":2}])", &error));
  EXPECT_NE(error.find("no member \"x\""), std::string::npos) << error;
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"add","path":"/a/b","value":2}])", &error));
  EXPECT_NE(error.find("scalar"), std::string::npos) << error;
  EXPECT_FALSE(apply(R"([1,2])", R"([{"op":"replace","path":"/01","value":2}])", &error));
  EXPECT_NE(error.find("not a list index"), std::string::npos) << error;
  EXPECT_FALSE(apply(R"([1,2])", R"([{"op":"remove","path":"/-"}])", &error));
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"move","from":"/a","path":"/a/b"}])", &error));
}

TEST(JsonPatchApply, RejectsRemovingAMissingMember) {
  std::string error;
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"remove","path":"/a"},{"op":"remove","path":"/a"}])", &error));
  EXPECT_EQ(error, R"(operation 1 (path "/a"): no member "a" to remove)");
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"replace","path":"/b","value":1}])", &error));
  EXPECT_NE(error.find("no member \"b\""), std::string::npos) << error;
}

TEST(JsonPatchApply, RejectsIndicesOutOfRange) {
  std::string error;
  EXPECT_FALSE(apply("[1,2,3]", R"([{"op":"replace","path":"/3","value":0}])", &error));
  EXPECT_NE(error.find("index 3 is out of range"), std::string::npos) << error;
  EXPECT_FALSE(apply("[1,2,3]", R"([{"op":"remove","path":"/3"}])", &error));
  EXPECT_FALSE(apply("[1,2,3]", R"([{"op":"add","path":"/4","value":0}])", &error));
  EXPECT_TRUE(apply("[1,2,3]", R"([{"op":"add","path":"/3","value":0}])", &error));  // add may append
  EXPECT_FALSE(apply(R"({"l":[]})", R"([{"op":"replace","path":"/l/0/x","value":0}])", &error));
}

TEST(JsonPatchApply, RejectsMalformedOperations) {
  std::string error;
  EXPECT_FALSE(apply("{}", R"({"op":"add"})", &error));
  EXPECT_FALSE(apply("{}", R"([{"op":"frobnicate","path":""}])", &error));
  EXPECT_NE(error.find("unknown operation"), std::string::npos) << error;
  EXPECT_FALSE(apply("{}", R"([{"op":"add","path":"/a"}])", &error));
  EXPECT_NE(error.find("no \"value\""), std::string::npos) << error;
  EXPECT_FALSE(apply("{}", R"([{"path":"/a","value":1}])", &error));
  EXPECT_FALSE(apply("{}", R"([{"op":"add","path":1,"value":1}])", &error));
  EXPECT_FALSE(apply("{}", R"([{"op":"remove","path":""}])", &error));
  EXPECT_FALSE(apply(R"({"a":1})", R"([{"op":"test","path":"/a","value":2}])", &error));
  EXPECT_NE(error.find("test failed"), std::string::npos) << error;
}

}  // namespace
}  // namespace sluice::execution::detail

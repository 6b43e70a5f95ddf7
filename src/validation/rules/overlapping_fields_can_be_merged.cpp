// OverlappingFieldsCanBeMerged (spec 5.3.2 Field Selection Merging), following graphql-js 16's
// OverlappingFieldsCanBeMergedRule step by step (the letters A-J below are its steps).
//
// Given a selection set, "collecting" it gives the fields it selects grouped by response name (inline
// fragments flattened in) and the names of the fragments it spreads. Fields are compared "within" a set
// once, when the set itself is checked; after that only "between" collections: a set and the fragments
// it spreads, fragments spread together, and the sub-selections of two fields with the same response name.
// Collections are cached by (parent type, selection set); pairs of compared fragments and fields compared
// against a fragment are memoised, which also stops fragment cycles from recursing forever. Every
// comparison is charged to a budget, as in graphql-js, so that no document can make the rule run long.
#include "validation/rules/overlapping_fields_can_be_merged.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_set>
#include <utility>

namespace sluice::validation::detail {
namespace {

// graphql-js: diagnostic detail is bounded independently of the document's size.
constexpr std::size_t max_conflict_detail_length = 1000;
constexpr std::size_t max_conflict_nodes = 20;
// graphql-js: the work that can grow through repeated comparisons is metered; collecting is not charged.
constexpr std::int64_t max_complexity_budget = 500000;

// Thrown when the budget runs out; caught in check_selection_set.
struct budget_exhausted {};

std::string abbreviate(std::string_view text) {
  if (text.size() <= max_conflict_detail_length) return std::string(text);
  std::string out(text.substr(0, max_conflict_detail_length));
  out += "...";
  return out;
}

// Whether two argument values are the same value, ignoring the order of input object fields (graphql-js
// compares a canonical serialisation: object fields sorted by name, strings with their block flag).
bool same_value(const language::value& a, const language::value& b) {
  using language::value_kind;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case value_kind::variable:
    case value_kind::int_:
    case value_kind::float_:
    case value_kind::enum_:
      return a.raw == b.raw;
    case value_kind::string:
      return a.block == b.block && a.string_value == b.string_value;
    case value_kind::boolean:
      return a.boolean == b.boolean;
    case value_kind::null:
      return true;
    case value_kind::list:
      return std::equal(a.list.begin(), a.list.end(), b.list.begin(), b.list.end(), same_value);
    case value_kind::object: {
      if (a.fields.size() != b.fields.size()) return false;
      auto sorted = [](language::list<language::object_field> fields) {
        std::vector<const language::object_field*> out;
        out.reserve(fields.size());
        for (const auto& f : fields) out.push_back(&f);
        std::stable_sort(out.begin(), out.end(), [](const auto* x, const auto* y) {
          return x->field_name.text < y->field_name.text;
        });
        return out;
      };
      const auto fa = sorted(a.fields);
      const auto fb = sorted(b.fields);
      for (std::size_t i = 0; i < fa.size(); ++i) {
        if (fa[i]->field_name.text != fb[i]->field_name.text || !same_value(fa[i]->val, fb[i]->val))
          return false;
      }
      return true;
    }
  }
  return false;
}

// Whether two named-or-wrapped types are the same type object in graphql-js. Named types are shared; a
// schema built from SDL gives every field definition its own list and non-null wrappers, so wrappers are
// identical only within one definition (our wrappers are interned, hence the extra condition).
bool identical_types(const schema::type* a, const schema::type* b, bool same_definition) {
  return a == b && (same_definition || !a->is_wrapper());
}

enum class name_args_reason : std::uint8_t { none, different_fields, differing_arguments };

struct collect_result;

// One field of a collection, with the type it was selected on and its definition (when known).
struct field_entry {
  const schema::named_type* parent_type = nullptr;
  const language::field* node = nullptr;
  const schema::field* definition = nullptr;
  bool simple_leaf = false;  // no arguments and no selection set
  // Memo of the name-and-arguments comparison with other fields (graphql-js fieldInfo.comparisons).
  std::unordered_map<const field_entry*, name_args_reason> comparisons;
  // The arguments by name, last one winning; built for long argument lists only.
  std::unordered_map<std::string_view, const language::value*> argument_index;
  bool argument_index_built = false;
};

struct field_group {
  std::string_view response_name;
  std::vector<field_entry> fields;
};

struct overlap {
  std::string_view response_name;
  field_group* fields1;
  field_group* fields2;
};

// A collected selection set: fields grouped by response name in first-seen order, spread fragment names in
// first-seen order, and the memos graphql-js keeps on the collection.
struct collect_result {
  std::vector<field_group> groups;
  std::unordered_map<std::string_view, std::size_t> group_index;
  std::vector<std::string_view> fragment_names;
  // Fragments these fields were compared with: name -> "mutually exclusive" flag of that comparison.
  std::unordered_map<std::string_view, bool> compared_fragments;
  // The response names shared with another collection.
  std::unordered_map<const collect_result*, std::vector<overlap>> overlapping;
};

struct conflict {
  std::string_view response_name;
  std::string reason;
  std::vector<const language::field*> fields1;
  std::vector<const language::field*> fields2;
};

using conflict_list = std::vector<conflict>;

struct collect_key {
  const schema::named_type* parent_type;
  const language::selection_set* set;
  friend bool operator==(const collect_key&, const collect_key&) = default;
};

struct collect_key_hash {
  std::size_t operator()(const collect_key& k) const noexcept {
    const auto a = std::hash<const void*>{}(k.parent_type);
    const auto b = std::hash<const void*>{}(k.set);
    return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  }
};

struct name_pair_hash {
  std::size_t operator()(const std::pair<std::string_view, std::string_view>& p) const noexcept {
    const auto a = std::hash<std::string_view>{}(p.first);
    const auto b = std::hash<std::string_view>{}(p.second);
    return a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
  }
};

// Pairs of fragment names whose order does not matter, each flagged as compared under mutually exclusive
// parents or not. A pair compared without exclusivity covers both cases (graphql-js PairSet). graphql-js
// records (a, b) as given and looks both orders up; one entry per unordered pair keeps both directions.
class pair_set {
 public:
  [[nodiscard]] bool has(std::string_view a, std::string_view b, bool mutually_exclusive) const {
    const auto it = data_.find(key(a, b));
    if (it == data_.end()) return false;
    const auto covers = [&](std::int8_t flag) { return flag >= 0 && (mutually_exclusive || flag == 0); };
    return covers(it->second.forward) || covers(it->second.backward);
  }
  void add(std::string_view a, std::string_view b, bool mutually_exclusive) {
    auto& entry = data_[key(a, b)];
    (a < b ? entry.forward : entry.backward) = mutually_exclusive ? 1 : 0;
  }

 private:
  // -1: not recorded in that order; 0: recorded as not mutually exclusive; 1: recorded as mutually exclusive.
  struct entry {
    std::int8_t forward = -1;
    std::int8_t backward = -1;
  };
  static std::pair<std::string_view, std::string_view> key(std::string_view a, std::string_view b) {
    return a < b ? std::pair{a, b} : std::pair{b, a};
  }
  std::unordered_map<std::pair<std::string_view, std::string_view>, entry, name_pair_hash> data_;
};

}  // namespace

struct overlapping_fields_checker::state {
  state(const schema::schema& s, const fragment_map& fragments, error_sink sink)
      : schema_(&s), fragments_(fragments), sink_(std::move(sink)) {}

  const schema::schema* schema_;
  fragment_map fragments_;
  error_sink sink_;
  std::unordered_map<collect_key, std::unique_ptr<collect_result>, collect_key_hash> collected_;
  pair_set compared_fragment_pairs_;
  std::unordered_set<const language::selection_set*> inline_fragment_sets_;
  std::int64_t remaining_budget_ = max_complexity_budget;
  bool aborted_ = false;

  void spend(std::int64_t cost) {
    remaining_budget_ -= cost;
    if (remaining_budget_ < 0) throw budget_exhausted{};
  }

  [[nodiscard]] const language::fragment_definition* find_fragment(std::string_view name) const {
    const auto it = fragments_.find(name);
    return it == fragments_.end() ? nullptr : it->second;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Collecting fields

  void collect_into(const schema::named_type* parent_type, const language::selection_set& set,
                    collect_result& out, std::unordered_set<std::string_view>& seen_fragments) {
    for (const auto& selection : set) {
      if (const auto* f = std::get_if<language::field>(&selection.node)) {
        const schema::field* definition = nullptr;
        if (parent_type != nullptr) {
          if (const auto* fields = parent_type->as<schema::fields_type>()) {
            definition = fields->find_field(f->field_name.text);
          }
        }
        const auto key = f->response_key();
        auto [it, inserted] = out.group_index.try_emplace(key, out.groups.size());
        if (inserted) out.groups.push_back(field_group{key, {}});
        auto& entry = out.groups[it->second].fields.emplace_back();
        entry.parent_type = parent_type;
        entry.node = f;
        entry.definition = definition;
        entry.simple_leaf = f->arguments.empty() && f->selections.empty();
      } else if (const auto* spread = std::get_if<language::fragment_spread>(&selection.node)) {
        if (seen_fragments.insert(spread->fragment_name.text).second) {
          out.fragment_names.push_back(spread->fragment_name.text);
        }
      } else {
        const auto& inline_fragment = std::get<language::inline_fragment>(selection.node);
        const schema::named_type* type = inline_fragment.type_condition.empty()
                                             ? parent_type
                                             : schema_->find_type(inline_fragment.type_condition.text);
        collect_into(type, inline_fragment.selections, out, seen_fragments);
      }
    }
  }

  collect_result& collect_fields(const schema::named_type* parent_type, const language::selection_set& set) {
    auto [it, inserted] = collected_.try_emplace(collect_key{parent_type, &set});
    if (inserted) {
      auto result = std::make_unique<collect_result>();
      std::unordered_set<std::string_view> seen_fragments;
      collect_into(parent_type, set, *result, seen_fragments);
      it->second = std::move(result);
    }
    return *it->second;
  }

  collect_result& collect_fragment_fields(const language::fragment_definition& fragment) {
    return collect_fields(schema_->find_type(fragment.type_condition.text), fragment.selections);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Comparing collections

  // Every conflict within one selection set, including those found through the fragments it spreads.
  conflict_list find_conflicts_within_selection_set(const schema::named_type* parent_type,
                                                    const language::selection_set& set) {
    conflict_list conflicts;
    auto& fields = collect_fields(parent_type, set);
    // (A) Every pair of fields within this set; the only place fields are compared "within".
    collect_conflicts_within(conflicts, fields);
    // Fragment spreads are compared only with fields or with another spread.
    const auto& names = fields.fragment_names;
    if (!names.empty() && (!fields.groups.empty() || names.size() > 1)) {
      for (std::size_t i = 0; i < names.size(); ++i) {
        // (B) These fields against each spread fragment.
        collect_conflicts_between_fields_and_fragment(conflicts, false, fields, names[i]);
        // (C) Each spread fragment against every later one.
        for (std::size_t j = i + 1; j < names.size(); ++j) {
          collect_conflicts_between_fragments(conflicts, false, names[i], names[j]);
        }
      }
    }
    return conflicts;
  }

  // A collection of fields against a fragment, including the fragments it spreads.
  void collect_conflicts_between_fields_and_fragment(conflict_list& conflicts, bool mutually_exclusive,
                                                     collect_result& fields, std::string_view fragment_name) {
    spend(1);
    if (fields.groups.empty()) return;
    // Compare the same fields and fragment once; a non-exclusive comparison also covers an exclusive one.
    const auto compared = fields.compared_fragments.find(fragment_name);
    if (compared != fields.compared_fragments.end() && (!compared->second || mutually_exclusive)) return;
    fields.compared_fragments[fragment_name] = mutually_exclusive;

    const auto* fragment = find_fragment(fragment_name);
    if (fragment == nullptr) return;
    auto& fragment_fields = collect_fragment_fields(*fragment);
    if (&fields == &fragment_fields) return;  // a fragment's own fields against itself

    // (D) The fields against the fragment's fields.
    collect_conflicts_between(conflicts, mutually_exclusive, fields, fragment_fields);
    // (E) The fields against the fragments the fragment spreads.
    for (const auto referenced : fragment_fields.fragment_names) {
      collect_conflicts_between_fields_and_fragment(conflicts, mutually_exclusive, fields, referenced);
    }
  }

  // Two fragments against each other, including the fragments they spread.
  void collect_conflicts_between_fragments(conflict_list& conflicts, bool mutually_exclusive,
                                           std::string_view name1, std::string_view name2) {
    spend(2);
    if (name1 == name2) return;
    if (compared_fragment_pairs_.has(name1, name2, mutually_exclusive)) return;
    compared_fragment_pairs_.add(name1, name2, mutually_exclusive);

    const auto* fragment1 = find_fragment(name1);
    const auto* fragment2 = find_fragment(name2);
    if (fragment1 == nullptr || fragment2 == nullptr) return;
    auto& fields1 = collect_fragment_fields(*fragment1);
    auto& fields2 = collect_fragment_fields(*fragment2);

    // (F) The two fragments' own fields.
    collect_conflicts_between(conflicts, mutually_exclusive, fields1, fields2);
    // (G) The first fragment against those the second spreads, then the second against those the first
    // spreads.
    for (const auto referenced : fields2.fragment_names) {
      collect_conflicts_between_fragments(conflicts, mutually_exclusive, name1, referenced);
    }
    for (const auto referenced : fields1.fragment_names) {
      collect_conflicts_between_fragments(conflicts, mutually_exclusive, referenced, name2);
    }
  }

  // The sub-selections of two fields with the same response name, including spread fragments.
  conflict_list find_conflicts_between_sub_selection_sets(bool mutually_exclusive,
                                                          const schema::named_type* parent_type1,
                                                          const language::selection_set& set1,
                                                          const schema::named_type* parent_type2,
                                                          const language::selection_set& set2) {
    conflict_list conflicts;
    auto& fields1 = collect_fields(parent_type1, set1);
    auto& fields2 = collect_fields(parent_type2, set2);
    // (H) The two collections of fields.
    collect_conflicts_between(conflicts, mutually_exclusive, fields1, fields2);
    // (I) Each collection against the fragments the other spreads.
    for (const auto name2 : fields2.fragment_names) {
      collect_conflicts_between_fields_and_fragment(conflicts, mutually_exclusive, fields1, name2);
    }
    for (const auto name1 : fields1.fragment_names) {
      collect_conflicts_between_fields_and_fragment(conflicts, mutually_exclusive, fields2, name1);
    }
    // (J) Every fragment spread by the first against every fragment spread by the second.
    for (const auto name1 : fields1.fragment_names) {
      for (const auto name2 : fields2.fragment_names) {
        collect_conflicts_between_fragments(conflicts, mutually_exclusive, name1, name2);
      }
    }
    return conflicts;
  }

  // Every pair of fields sharing a response name within one collection.
  void collect_conflicts_within(conflict_list& conflicts, collect_result& fields) {
    for (auto& group : fields.groups) {
      auto& list = group.fields;
      for (std::size_t i = 0; i < list.size(); ++i) {
        for (std::size_t j = i + 1; j < list.size(); ++j) {
          if (auto c = find_conflict(false, group.response_name, list[i], list[j])) {
            conflicts.push_back(std::move(*c));
          }
        }
      }
    }
  }

  // Every field of the first collection against each field of the second with the same response name.
  void collect_conflicts_between(conflict_list& conflicts, bool parents_mutually_exclusive,
                                 collect_result& fields1, collect_result& fields2) {
    if (fields1.groups.empty() || fields2.groups.empty()) return;
    for (const auto& shared : overlapping_fields(fields1, fields2)) {
      // The groups are never resized once collected, so these entries stay put.
      for (auto& field1 : shared.fields1->fields) {
        for (auto& field2 : shared.fields2->fields) {
          if (auto c = find_conflict(parents_mutually_exclusive, shared.response_name, field1, field2)) {
            conflicts.push_back(std::move(*c));
          }
        }
      }
    }
  }

  const std::vector<overlap>& overlapping_fields(collect_result& fields1, collect_result& fields2) {
    const auto cached = fields1.overlapping.find(&fields2);
    if (cached != fields1.overlapping.end()) return cached->second;
    std::vector<overlap> shared;
    for (auto& group : fields1.groups) {
      spend(1);
      const auto other = fields2.group_index.find(group.response_name);
      if (other != fields2.group_index.end()) {
        shared.push_back(overlap{group.response_name, &group, &fields2.groups[other->second]});
      }
    }
    return fields1.overlapping.emplace(&fields2, std::move(shared)).first->second;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Comparing two fields

  std::optional<conflict> find_conflict(bool parents_mutually_exclusive, std::string_view response_name,
                                        field_entry& field1, field_entry& field2) {
    // Fields on two different object types can never both apply, so they may differ in name and arguments.
    // Interfaces and unions might overlap (if not now, after a schema change), so they may not.
    const bool mutually_exclusive =
        parents_mutually_exclusive ||
        (field1.parent_type != field2.parent_type && field1.parent_type != nullptr &&
         field2.parent_type != nullptr && field1.parent_type->kind() == schema::type_kind::object &&
         field2.parent_type->kind() == schema::type_kind::object);
    spend(2);

    const auto* node1 = field1.node;
    const auto* node2 = field2.node;
    const auto* def1 = field1.definition;
    const auto* def2 = field2.definition;
    const bool same_definition = def1 == def2;
    if (field1.simple_leaf && field2.simple_leaf && node1->field_name.text == node2->field_name.text &&
        (same_definition || (def1 != nullptr && def2 != nullptr &&
                             identical_types(def1->field_type, def2->field_type, false)))) {
      return std::nullopt;
    }

    if (!mutually_exclusive) {
      auto [memo, inserted] = field1.comparisons.try_emplace(&field2, name_args_reason::none);
      if (inserted) {
        // Two aliases must refer to the same field, with the same arguments.
        if (node1->field_name.text != node2->field_name.text) {
          memo->second = name_args_reason::different_fields;
        } else if (!same_arguments(field1, field2)) {
          memo->second = name_args_reason::differing_arguments;
        }
      }
      if (memo->second == name_args_reason::different_fields) {
        return conflict{response_name,
                        "\"" + abbreviate(node1->field_name.text) + "\" and \"" +
                            abbreviate(node2->field_name.text) + "\" are different fields",
                        {node1},
                        {node2}};
      }
      if (memo->second == name_args_reason::differing_arguments) {
        return conflict{response_name, "they have differing arguments", {node1}, {node2}};
      }
    }

    const schema::type* type1 = def1 != nullptr ? def1->field_type : nullptr;
    const schema::type* type2 = def2 != nullptr ? def2->field_type : nullptr;
    if (type1 != nullptr && type2 != nullptr && types_conflict(type1, type2, same_definition)) {
      return conflict{
          response_name,
          "they return conflicting types \"" + type1->to_string() + "\" and \"" + type2->to_string() + "\"",
          {node1},
          {node2}};
    }

    if (!node1->selections.empty() && !node2->selections.empty()) {
      auto sub = find_conflicts_between_sub_selection_sets(
          mutually_exclusive, type1 != nullptr ? type1->named() : nullptr, node1->selections,
          type2 != nullptr ? type2->named() : nullptr, node2->selections);
      return subfield_conflicts(sub, response_name, node1, node2);
    }
    return std::nullopt;
  }

  const language::value* find_argument(field_entry& entry, std::string_view name) {
    const auto& args = entry.node->arguments;
    constexpr std::size_t index_threshold = 8;
    if (args.size() <= index_threshold) {
      for (auto it = args.rbegin(); it != args.rend(); ++it) {
        if (it->arg_name.text == name) return &it->val;
      }
      return nullptr;
    }
    if (!entry.argument_index_built) {
      for (const auto& arg : args) entry.argument_index[arg.arg_name.text] = &arg.val;
      entry.argument_index_built = true;
    }
    const auto it = entry.argument_index.find(name);
    return it == entry.argument_index.end() ? nullptr : it->second;
  }

  bool same_arguments(field_entry& field1, field_entry& field2) {
    const auto& args1 = field1.node->arguments;
    const auto& args2 = field2.node->arguments;
    if (args1.empty()) return args2.empty();
    if (args1.size() != args2.size()) return false;
    for (const auto& arg1 : args1) {
      spend(1);
      const auto* value2 = find_argument(field2, arg1.arg_name.text);
      if (value2 == nullptr || !same_value(arg1.val, *value2)) return false;
    }
    return true;
  }

  // Whether two return types cannot both describe one value: list and non-null wrappers must match, and
  // leaf types must be the same type. Composite types are compared through their sub-selections.
  bool types_conflict(const schema::type* type1, const schema::type* type2, bool same_definition) {
    if (identical_types(type1, type2, same_definition)) return false;
    spend(1);
    if (type1->is_list()) {
      return type2->is_list() ? types_conflict(type1->of_type(), type2->of_type(), same_definition) : true;
    }
    if (type2->is_list()) return true;
    if (type1->is_non_null()) {
      return type2->is_non_null() ? types_conflict(type1->of_type(), type2->of_type(), same_definition)
                                  : true;
    }
    if (type2->is_non_null()) return true;
    if (type1->is_leaf() || type2->is_leaf()) return type1 != type2;
    return false;
  }

  // The conflicts between two fields' sub-selections as one conflict of the two fields.
  static std::optional<conflict> subfield_conflicts(const conflict_list& sub, std::string_view response_name,
                                                    const language::field* node1,
                                                    const language::field* node2) {
    if (sub.empty()) return std::nullopt;
    std::string message;
    for (const auto& c : sub) {
      if (!message.empty()) message += " and ";
      message += "subfields \"" + abbreviate(c.response_name) + "\" conflict because " + c.reason;
      if (message.size() > max_conflict_detail_length) break;
    }
    return conflict{response_name, abbreviate(message), conflict_nodes(node1, sub, &conflict::fields1),
                    conflict_nodes(node2, sub, &conflict::fields2)};
  }

  // The enclosing field, then the fields of each sub-conflict, at most max_conflict_nodes; when cut, the
  // deeper fields of a sub-conflict are kept.
  static std::vector<const language::field*> conflict_nodes(
      const language::field* node, const conflict_list& sub,
      std::vector<const language::field*> conflict::*side) {
    std::vector<const language::field*> nodes{node};
    for (const auto& c : sub) {
      const auto& from = c.*side;
      const std::size_t take = std::min(max_conflict_nodes - nodes.size(), from.size());
      nodes.insert(nodes.end(), from.end() - static_cast<std::ptrdiff_t>(take), from.end());
      if (nodes.size() == max_conflict_nodes) break;
    }
    return nodes;
  }
};

overlapping_fields_checker::overlapping_fields_checker(const schema::schema& s, const fragment_map& fragments,
                                                       error_sink sink)
    : state_(std::make_unique<state>(s, fragments, std::move(sink))) {}

overlapping_fields_checker::~overlapping_fields_checker() = default;
overlapping_fields_checker::overlapping_fields_checker(overlapping_fields_checker&&) noexcept = default;
overlapping_fields_checker& overlapping_fields_checker::operator=(overlapping_fields_checker&&) noexcept =
    default;

bool overlapping_fields_checker::aborted() const {
  return state_->aborted_;
}

void overlapping_fields_checker::check_selection_set(const schema::named_type* parent_type,
                                                     const language::selection_set& set) {
  auto& st = *state_;
  if (st.aborted_) return;
  // An inline fragment's fields belong to the enclosing response level and are checked with it; its own
  // selection set is skipped when it comes (the fields' selection sets inside it are still checked).
  for (const auto& selection : set) {
    if (const auto* inline_fragment = std::get_if<language::inline_fragment>(&selection.node)) {
      st.inline_fragment_sets_.insert(&inline_fragment->selections);
    }
  }
  if (st.inline_fragment_sets_.erase(&set) != 0) return;
  // A single field or spread cannot conflict with anything at this level.
  if (set.size() <= 1 &&
      (set.empty() || !std::holds_alternative<language::inline_fragment>(set.front().node))) {
    return;
  }

  conflict_list conflicts;
  try {
    conflicts = st.find_conflicts_within_selection_set(parent_type, set);
  } catch (const budget_exhausted&) {
    st.aborted_ = true;
    st.sink_("Validation aborted.", {});
    return;
  }
  for (const auto& c : conflicts) {
    std::vector<source_location> locations;
    locations.reserve(c.fields1.size() + c.fields2.size());
    for (const auto* f : c.fields1) locations.push_back(f->loc.to_source_location());
    for (const auto* f : c.fields2) locations.push_back(f->loc.to_source_location());
    st.sink_("Fields \"" + abbreviate(c.response_name) + "\" conflict because " + c.reason +
                 ". Use different aliases on the fields to fetch both if this was intentional.",
             std::move(locations));
  }
}

}  // namespace sluice::validation::detail

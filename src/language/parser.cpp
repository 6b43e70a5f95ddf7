// Recursive-descent parser for GraphQL documents (spec 2 and 3), with graphql-js's error messages and positions.
#include "sluice/language/parser.hpp"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <cstring>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

#include "sluice/language/lexer.hpp"

namespace sluice::language {
namespace {

constexpr std::array<std::string_view, 20> directive_locations = {
    "QUERY", "MUTATION", "SUBSCRIPTION", "FIELD", "FRAGMENT_DEFINITION", "FRAGMENT_SPREAD", "INLINE_FRAGMENT",
    "VARIABLE_DEFINITION", "SCHEMA", "SCALAR", "OBJECT", "FIELD_DEFINITION", "ARGUMENT_DEFINITION", "INTERFACE",
    "UNION", "ENUM", "ENUM_VALUE", "INPUT_OBJECT", "INPUT_FIELD_DEFINITION", "DIRECTIVE_DEFINITION"};

// A stack of AST nodes (trivially copyable): items are built in place, from their members' values, so no
// freshly written temporary is copied (a wide load of bytes just stored narrowly stalls on store forwarding).
template <typename T>
class scratch_stack {
  static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

 public:
  scratch_stack() = default;
  scratch_stack(const scratch_stack&) = delete;
  scratch_stack& operator=(const scratch_stack&) = delete;
  ~scratch_stack() { std::free(items_); }

  [[nodiscard]] std::size_t size() const { return size_; }
  [[nodiscard]] const T* data() const { return items_; }

  // A new item on top, aggregate-initialised from `members`.
  template <typename... Members>
  void emplace_back(Members&&... members) {
    if (size_ == capacity_) grow();
    ::new (static_cast<void*>(items_ + size_)) T{std::forward<Members>(members)...};
    ++size_;
  }

  void push_back(const T& item) { emplace_back(item); }

  // A new item on top, initialised from what `make()` returns (a T, which is built in place).
  template <typename Make>
  void emplace_made(Make&& make) {
    if (size_ == capacity_) grow();
    ::new (static_cast<void*>(items_ + size_)) T(make());
    ++size_;
  }

  // Drops the items above the first `count`.
  void truncate(std::size_t count) { size_ = count; }

  // Empties the stack; lets go of its memory when it holds more than `keep_bytes`.
  void reset(std::size_t keep_bytes) {
    size_ = 0;
    if (capacity_ * sizeof(T) > keep_bytes) {
      std::free(items_);
      items_ = nullptr;
      capacity_ = 0;
    }
  }

 private:
  void grow() {
    const std::size_t capacity = capacity_ == 0 ? 64 : capacity_ * 2;
    void* items = std::realloc(static_cast<void*>(items_), capacity * sizeof(T));
    if (items == nullptr) throw std::bad_alloc();
    items_ = static_cast<T*>(items);
    capacity_ = capacity;
  }

  T* items_ = nullptr;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Converts to T by calling `make`: lets std::variant's in-place constructor build an aggregate where it will live
// (clang 14 has no parenthesised aggregate initialisation, and a prvalue a conversion function returns is
// constructed in place).
template <typename T, typename Make>
struct made {
  Make make;
  operator T() const { return make(); }  // NOLINT(google-explicit-constructor)
};

// A selection holding the `Node` that `make()` returns, built where the selection is constructed.
template <typename Node, typename Make>
selection make_selection(Make&& make) {
  using node_variant = decltype(selection::node);
  return selection{node_variant(std::in_place_type<Node>, made<Node, Make&>{make})};
}

// Where the items of the lists being parsed gather, one stack per item type, shared by every nesting level:
// a list's items are on top of its stack when it ends, and are copied from there into an exactly sized arena
// array. Each thread keeps its stacks from one document to the next.
struct scratch_space {
  std::tuple<scratch_stack<definition>, scratch_stack<selection>, scratch_stack<argument>, scratch_stack<directive>,
             scratch_stack<value>, scratch_stack<object_field>, scratch_stack<variable_definition>,
             scratch_stack<input_value_definition>, scratch_stack<field_definition>,
             scratch_stack<enum_value_definition>, scratch_stack<name>, scratch_stack<root_operation_type>>
      stacks;
  std::string text;  // a decoded string on its way into the arena

  template <typename T>
  scratch_stack<T>& stack() {
    return std::get<scratch_stack<T>>(stacks);
  }

  // Empties every stack (a failed parse leaves items behind); lets go of memory beyond `keep_bytes` per stack.
  void reset(std::size_t keep_bytes) {
    std::apply([&](auto&... s) { (s.reset(keep_bytes), ...); }, stacks);
    text.clear();
    if (text.capacity() > keep_bytes) std::string().swap(text);
  }
};

class parser {
 public:
  parser(std::string_view source, language::arena& memory, scratch_space& scratch, const parse_options& options)
      : lex_(source), arena_(memory), scratch_(scratch), options_(options) {
    token_ = lex_.current();  // <SOF>
    read_ahead();
  }

  // Document : Definition+
  list<definition> parse_document() {
    advance();  // past <SOF>
    return gather<definition>([&](auto& defs) {
      do {
        defs.push_back(parse_definition());
      } while (!peek(token_kind::eof));
    });
  }

 private:
  // --- token helpers -------------------------------------------------------------------------------------------

  // The lexer runs one token ahead of the parser: the token the parser looks at was written by the lexer one
  // advance() earlier, so reading it never waits for the lexer's stores to reach memory (a load right after
  // narrower stores to the same bytes stalls on store forwarding). An error reading ahead waits until the
  // parser advances onto that token, so errors come in the same order as with no reading ahead.
  const token& tok() const { return token_; }
  bool peek(token_kind k) const { return tok().kind == k; }
  bool peek_keyword(std::string_view kw) const { return tok().kind == token_kind::name && tok().text == kw; }

  void advance() {
    if (ahead_error_) throw *ahead_error_;
    token_ = lex_.current();
    if (token_.kind != token_kind::eof && options_.max_tokens != 0 && ++tokens_ > options_.max_tokens)
      fail(token_.loc, "Document contains more than " + std::to_string(options_.max_tokens) +
                           " tokens. Parsing aborted.");
    read_ahead();
  }

  void read_ahead() {
    try {
      lex_.advance();
    } catch (syntax_error& e) {
      ahead_error_ = std::move(e);
    }
  }

  // The token after the current one, without advancing.
  const token& lookahead() const {
    if (ahead_error_) throw *ahead_error_;
    return lex_.current();
  }

  [[noreturn]] void fail(const location& loc, std::string message) const {
    throw syntax_error{"Syntax Error: " + std::move(message), loc};
  }

  static std::string token_desc(const token& t) {
    std::string d(describe(t.kind));
    if (t.kind == token_kind::name || t.kind == token_kind::int_ || t.kind == token_kind::float_) {
      d += " \"";
      d += t.text;
      d += '"';
    }
    return d;
  }

  [[noreturn]] void unexpected(const token& t) const { fail(t.loc, "Unexpected " + token_desc(t) + "."); }
  [[noreturn]] void unexpected() const { unexpected(tok()); }

  // Tokens are not copied on the hot paths: a copy right after the lexer wrote one stalls on store forwarding.
  void expect(token_kind k) {
    if (!peek(k)) expected(k);
    advance();
  }

  [[noreturn]] void expected(token_kind k) const {
    fail(tok().loc, "Expected " + std::string(describe(k)) + ", found " + token_desc(tok()) + ".");
  }

  bool expect_optional(token_kind k) {
    if (!peek(k)) return false;
    advance();
    return true;
  }

  void expect_keyword(std::string_view kw) {
    if (!peek_keyword(kw))
      fail(tok().loc, "Expected \"" + std::string(kw) + "\", found " + token_desc(tok()) + ".");
    advance();
  }

  bool expect_optional_keyword(std::string_view kw) {
    if (!peek_keyword(kw)) return false;
    advance();
    return true;
  }

  // Guards recursion: every nesting construct holds one of these while it parses its contents.
  struct depth_guard {
    parser& p;
    explicit depth_guard(parser& owner) : p(owner) {
      if (++p.depth_ > p.options_.max_depth)
        p.fail(p.tok().loc, "Document nesting exceeds the maximum depth of " +
                                std::to_string(p.options_.max_depth) + ".");
    }
    ~depth_guard() { --p.depth_; }
    depth_guard(const depth_guard&) = delete;
    depth_guard& operator=(const depth_guard&) = delete;
  };

  // Name : /[_A-Za-z][_0-9A-Za-z]*/
  name parse_name() {
    if (!peek(token_kind::name)) expected(token_kind::name);
    const name n{tok().text, tok().loc};
    advance();
    return n;
  }

  // The list of the items `parse_items` pushes onto the stack it is given, copied into the arena.
  template <typename T, typename F>
  list<T> gather(F&& parse_items) {
    scratch_stack<T>& stack = scratch_.stack<T>();
    const std::size_t base = stack.size();
    parse_items(stack);
    const std::size_t count = stack.size() - base;
    list<T> items{arena_.copy(stack.data() + base, count), count};
    stack.truncate(base);
    return items;
  }

  // Items between `open` and `close`, at least one: many() in graphql-js.
  template <typename F>
  void many(token_kind open, token_kind close, F&& item) {
    expect(open);
    do {
      item();
    } while (!expect_optional(close));
  }

  // Items between `open` and `close`, possibly none: any() in graphql-js.
  template <typename F>
  void any(token_kind open, token_kind close, F&& item) {
    expect(open);
    while (!expect_optional(close)) item();
  }

  // Like many(), but the whole group is optional: optionalMany() in graphql-js.
  template <typename F>
  bool optional_many(token_kind open, token_kind close, F&& item) {
    if (!peek(open)) return false;
    many(open, close, item);
    return true;
  }

  // Items separated by `delimiter`, with an optional leading one: delimitedMany() in graphql-js.
  template <typename F>
  void delimited_many(token_kind delimiter, F&& item) {
    expect_optional(delimiter);
    do {
      item();
    } while (expect_optional(delimiter));
  }

  // --- definitions -----------------------------------------------------------------------------------------

  // Definition : ExecutableDefinition | TypeSystemDefinitionOrExtension
  definition parse_definition() {
    if (peek(token_kind::brace_l)) return parse_operation_definition();
    bool has_description = peek(token_kind::string) || peek(token_kind::block_string);
    token keyword = has_description ? lookahead() : tok();
    if (has_description && keyword.kind == token_kind::brace_l)
      fail(tok().loc, "Unexpected description, descriptions are not supported on shorthand queries.");
    if (keyword.kind == token_kind::name) {
      auto kw = keyword.text;
      if (kw == "schema") return parse_schema_definition();
      if (kw == "scalar" || kw == "type" || kw == "interface" || kw == "union" || kw == "enum" || kw == "input")
        return parse_type_definition(false);
      if (kw == "directive") return parse_directive_definition();
      // Descriptions on executable definitions: September 2025 edition.
      if (kw == "query" || kw == "mutation" || kw == "subscription") return parse_operation_definition();
      if (kw == "fragment") return parse_fragment_definition();
      if (has_description)
        fail(tok().loc, "Unexpected description, only GraphQL definitions support descriptions.");
      if (kw == "extend") return parse_extension();
    }
    unexpected(keyword);
  }

  // OperationDefinition : Description? OperationType Name? VariablesDefinition? Directives? SelectionSet
  //                     | SelectionSet
  operation_definition parse_operation_definition() {
    operation_definition op;
    op.loc = tok().loc;
    if (peek(token_kind::brace_l)) {
      op.shorthand = true;
      op.selections = parse_selection_set();
      return op;
    }
    op.description = parse_description();
    op.operation = parse_operation_type();
    if (peek(token_kind::name)) op.op_name = parse_name();
    if (peek(token_kind::paren_l))
      op.variables = gather<variable_definition>([&](auto& vars) {
        many(token_kind::paren_l, token_kind::paren_r, [&] { vars.push_back(parse_variable_definition()); });
      });
    op.directives = parse_directives(false);
    op.selections = parse_selection_set();
    return op;
  }

  // OperationType : one of query mutation subscription
  operation_type parse_operation_type() {
    if (!peek(token_kind::name)) expected(token_kind::name);
    const token t = tok();
    advance();
    if (t.text == "query") return operation_type::query;
    if (t.text == "mutation") return operation_type::mutation;
    if (t.text == "subscription") return operation_type::subscription;
    unexpected(t);
  }

  // VariableDefinition : Description? Variable : Type DefaultValue? Directives[Const]?
  variable_definition parse_variable_definition() {
    variable_definition v;
    v.loc = tok().loc;
    v.description = parse_description();
    v.variable = parse_variable_name();
    expect(token_kind::colon);
    v.var_type = parse_type();
    if (expect_optional(token_kind::equals)) v.default_value = parse_value(true);
    v.directives = parse_directives(true);
    return v;
  }

  // Variable : $ Name
  name parse_variable_name() {
    expect(token_kind::dollar);
    return parse_name();
  }

  // SelectionSet : { Selection+ }
  selection_set parse_selection_set() {
    depth_guard guard(*this);
    return gather<selection>([&](auto& set) {
      many(token_kind::brace_l, token_kind::brace_r, [&] {
        // Selection : Field | FragmentSpread | InlineFragment
        if (peek(token_kind::spread))
          parse_fragment(set);
        else
          parse_field(set);
      });
    });
  }

  // Field : Alias? Name Arguments? Directives? SelectionSet?
  void parse_field(scratch_stack<selection>& set) {
    const location loc = tok().loc;
    name alias;
    name field_name = parse_name();
    if (expect_optional(token_kind::colon)) {
      alias = field_name;
      field_name = parse_name();
    }
    const list<argument> arguments = parse_arguments(false);
    const list<directive> directives = parse_directives(false);
    const selection_set selections = peek(token_kind::brace_l) ? parse_selection_set() : selection_set{};
    set.emplace_made([&] {
      return make_selection<field>([&] { return field{alias, field_name, arguments, directives, selections, loc}; });
    });
  }

  // Arguments[Const] : ( Argument[?Const]+ )
  list<argument> parse_arguments(bool is_const) {
    if (!peek(token_kind::paren_l)) return {};
    return gather<argument>([&](auto& args) {
      many(token_kind::paren_l, token_kind::paren_r, [&] {
        argument a;
        a.arg_name = parse_name();
        expect(token_kind::colon);
        a.val = parse_value(is_const);
        args.push_back(a);
      });
    });
  }

  // FragmentSpread : ... FragmentName Directives?    InlineFragment : ... TypeCondition? Directives? SelectionSet
  void parse_fragment(scratch_stack<selection>& set) {
    location start = tok().loc;
    expect(token_kind::spread);
    bool has_type_condition = expect_optional_keyword("on");
    if (!has_type_condition && peek(token_kind::name)) {
      fragment_spread s;
      s.loc = start;
      s.fragment_name = parse_fragment_name();
      s.directives = parse_directives(false);
      set.emplace_back(s);
      return;
    }
    inline_fragment f;
    f.loc = start;
    if (has_type_condition) f.type_condition = parse_name();
    f.directives = parse_directives(false);
    f.selections = parse_selection_set();
    set.emplace_back(f);
  }

  // FragmentName : Name but not `on`
  name parse_fragment_name() {
    if (peek_keyword("on")) unexpected();
    return parse_name();
  }

  // FragmentDefinition : Description? fragment FragmentName TypeCondition Directives? SelectionSet
  fragment_definition parse_fragment_definition() {
    fragment_definition f;
    f.loc = tok().loc;
    f.description = parse_description();
    expect_keyword("fragment");
    f.fragment_name = parse_fragment_name();
    expect_keyword("on");
    f.type_condition = parse_name();
    f.directives = parse_directives(false);
    f.selections = parse_selection_set();
    return f;
  }

  // --- values and types ---------------------------------------------------------------------------------------

  // Value[Const] (spec 2.9)
  value parse_value(bool is_const) {
    value v;
    const token& t = tok();  // read before each advance(), which replaces it
    v.loc = t.loc;
    switch (t.kind) {
      case token_kind::bracket_l: {
        depth_guard guard(*this);
        v.kind = value_kind::list;
        v.list = gather<value>([&](auto& items) {
          any(token_kind::bracket_l, token_kind::bracket_r, [&] { items.push_back(parse_value(is_const)); });
        });
        return v;
      }
      case token_kind::brace_l: {
        depth_guard guard(*this);
        v.kind = value_kind::object;
        v.fields = gather<object_field>([&](auto& fields) {
          any(token_kind::brace_l, token_kind::brace_r, [&] {
            object_field f;
            f.field_name = parse_name();
            expect(token_kind::colon);
            f.val = parse_value(is_const);
            fields.push_back(f);
          });
        });
        return v;
      }
      case token_kind::int_:
        v.kind = value_kind::int_;
        v.raw = t.text;
        advance();
        return v;
      case token_kind::float_:
        v.kind = value_kind::float_;
        v.raw = t.text;
        advance();
        return v;
      case token_kind::string:
      case token_kind::block_string:
        v.kind = value_kind::string;
        v.block = t.kind == token_kind::block_string;
        v.string_value = string_value(t);
        advance();
        return v;
      case token_kind::name:
        if (t.text == "true" || t.text == "false") {
          v.kind = value_kind::boolean;
          v.boolean = t.text == "true";
        } else if (t.text == "null") {
          v.kind = value_kind::null;
        } else {
          v.kind = value_kind::enum_;
          v.raw = t.text;
        }
        advance();
        return v;
      case token_kind::dollar:
        if (is_const) {
          const token dollar = t;
          advance();
          if (peek(token_kind::name))
            fail(dollar.loc, "Unexpected variable \"$" + std::string(tok().text) + "\" in constant value.");
          unexpected(dollar);
        }
        v.kind = value_kind::variable;
        v.raw = parse_variable_name().text;
        return v;
      default: unexpected();
    }
  }

  // Type : NamedType | ListType | NonNullType
  type parse_type() {
    depth_guard guard(*this);
    type t;
    t.loc = tok().loc;
    if (expect_optional(token_kind::bracket_l)) {
      t.kind = type_kind::list;
      t.of_type = arena_.make(parse_type());
      expect(token_kind::bracket_r);
    } else {
      t.name = parse_name().text;
    }
    if (expect_optional(token_kind::bang)) {
      type outer;
      outer.loc = t.loc;
      outer.kind = type_kind::non_null;
      outer.of_type = arena_.make(t);
      return outer;
    }
    return t;
  }

  // Directives[Const] : Directive[?Const]+
  list<directive> parse_directives(bool is_const) {
    if (!peek(token_kind::at)) return {};
    return gather<directive>([&](auto& ds) {
      while (peek(token_kind::at)) {
        directive d;
        d.loc = tok().loc;
        advance();
        d.directive_name = parse_name();
        d.arguments = parse_arguments(is_const);
        ds.push_back(d);
      }
    });
  }

  // --- type system --------------------------------------------------------------------------------------------

  // Description : StringValue
  std::optional<std::string_view> parse_description() {
    if (!peek(token_kind::string) && !peek(token_kind::block_string)) return std::nullopt;
    std::string_view d = string_value(tok());
    advance();
    return d;
  }

  // The value of a string or block string token: the token's own text when decoding would not change it,
  // else the decoded text, copied into the arena.
  std::string_view string_value(const token& t) {
    const std::string_view raw = t.text;
    if (t.kind == token_kind::string) {
      if (std::memchr(raw.data(), '\\', raw.size()) == nullptr) return raw;
    } else if (raw.find_first_of("\r\n\\") == std::string_view::npos) {
      // One line and no escaped quotes: no indentation to remove, and only blank text becomes empty.
      return raw.find_first_not_of(" \t") == std::string_view::npos ? std::string_view{} : raw;
    }
    lex_.string_value(t, scratch_.text);
    return arena_.copy(std::string_view(scratch_.text));
  }

  // SchemaDefinition : Description? schema Directives[Const]? { RootOperationTypeDefinition+ }
  schema_definition parse_schema_definition() {
    schema_definition s;
    s.loc = tok().loc;
    s.description = parse_description();
    expect_keyword("schema");
    s.directives = parse_directives(true);
    s.operation_types = gather<root_operation_type>([&](auto& roots) {
      many(token_kind::brace_l, token_kind::brace_r, [&] { roots.push_back(parse_root_operation()); });
    });
    return s;
  }

  // RootOperationTypeDefinition : OperationType : NamedType
  root_operation_type parse_root_operation() {
    root_operation_type r;
    r.loc = tok().loc;
    r.operation = parse_operation_type();
    expect(token_kind::colon);
    r.type_name = parse_name();
    return r;
  }

  // ScalarTypeDefinition, ObjectTypeDefinition, InterfaceTypeDefinition, UnionTypeDefinition,
  // EnumTypeDefinition, InputObjectTypeDefinition, and their extensions (after `extend`).
  type_definition parse_type_definition(bool extension) {
    type_definition d;
    d.loc = tok().loc;
    d.extension = extension;
    if (extension)
      expect_keyword("extend");
    else
      d.description = parse_description();
    std::string_view kw = tok().text;
    advance();
    d.type_name = parse_name();
    bool has_body = false;
    if (kw == "scalar") {
      d.kind = type_definition_kind::scalar;
      d.directives = parse_directives(true);
    } else if (kw == "type" || kw == "interface") {
      d.kind = kw == "type" ? type_definition_kind::object : type_definition_kind::interface;
      if (expect_optional_keyword("implements"))
        d.interfaces = gather<name>(
            [&](auto& names) { delimited_many(token_kind::amp, [&] { names.push_back(parse_name()); }); });
      d.directives = parse_directives(true);
      d.fields = gather<field_definition>([&](auto& fields) {
        has_body = optional_many(token_kind::brace_l, token_kind::brace_r,
                                 [&] { fields.push_back(parse_field_definition()); });
      });
    } else if (kw == "union") {
      d.kind = type_definition_kind::union_;
      d.directives = parse_directives(true);
      if (expect_optional(token_kind::equals))
        d.members = gather<name>(
            [&](auto& names) { delimited_many(token_kind::pipe, [&] { names.push_back(parse_name()); }); });
    } else if (kw == "enum") {
      d.kind = type_definition_kind::enum_;
      d.directives = parse_directives(true);
      d.values = gather<enum_value_definition>([&](auto& values) {
        has_body = optional_many(token_kind::brace_l, token_kind::brace_r,
                                 [&] { values.push_back(parse_enum_value_definition()); });
      });
    } else {
      d.kind = type_definition_kind::input_object;
      d.directives = parse_directives(true);
      d.input_fields = gather<input_value_definition>([&](auto& fields) {
        has_body = optional_many(token_kind::brace_l, token_kind::brace_r,
                                 [&] { fields.push_back(parse_input_value_definition()); });
      });
    }
    if (extension && !has_body && d.directives.empty() && d.interfaces.empty() && d.members.empty())
      unexpected();
    return d;
  }

  // FieldDefinition : Description? Name ArgumentsDefinition? : Type Directives[Const]?
  field_definition parse_field_definition() {
    field_definition f;
    f.loc = tok().loc;
    f.description = parse_description();
    f.field_name = parse_name();
    f.arguments = parse_arguments_definition();
    expect(token_kind::colon);
    f.field_type = parse_type();
    f.directives = parse_directives(true);
    return f;
  }

  // ArgumentsDefinition : ( InputValueDefinition+ )
  list<input_value_definition> parse_arguments_definition() {
    if (!peek(token_kind::paren_l)) return {};
    return gather<input_value_definition>([&](auto& args) {
      many(token_kind::paren_l, token_kind::paren_r, [&] { args.push_back(parse_input_value_definition()); });
    });
  }

  // InputValueDefinition : Description? Name : Type DefaultValue? Directives[Const]?
  input_value_definition parse_input_value_definition() {
    input_value_definition v;
    v.loc = tok().loc;
    v.description = parse_description();
    v.value_name = parse_name();
    expect(token_kind::colon);
    v.value_type = parse_type();
    if (expect_optional(token_kind::equals)) v.default_value = parse_value(true);
    v.directives = parse_directives(true);
    return v;
  }

  // EnumValueDefinition : Description? EnumValue Directives[Const]?
  enum_value_definition parse_enum_value_definition() {
    enum_value_definition v;
    v.loc = tok().loc;
    v.description = parse_description();
    if (peek_keyword("true") || peek_keyword("false") || peek_keyword("null"))
      fail(tok().loc, token_desc(tok()) + " is reserved and cannot be used for an enum value.");
    v.value_name = parse_name();
    v.directives = parse_directives(true);
    return v;
  }

  // DirectiveDefinition : Description? directive @ Name ArgumentsDefinition? repeatable? on DirectiveLocations
  directive_definition parse_directive_definition() {
    directive_definition d;
    d.loc = tok().loc;
    d.description = parse_description();
    expect_keyword("directive");
    expect(token_kind::at);
    d.directive_name = parse_name();
    d.arguments = parse_arguments_definition();
    d.repeatable = expect_optional_keyword("repeatable");
    expect_keyword("on");
    d.locations = gather<name>([&](auto& names) {
      delimited_many(token_kind::pipe, [&] {
        token start = tok();
        name n = parse_name();
        if (std::find(directive_locations.begin(), directive_locations.end(), n.text) == directive_locations.end())
          unexpected(start);
        names.push_back(n);
      });
    });
    return d;
  }

  // TypeSystemExtension : SchemaExtension | TypeExtension
  definition parse_extension() {
    token keyword = lookahead();
    if (keyword.kind == token_kind::name) {
      auto kw = keyword.text;
      if (kw == "schema") {
        schema_definition s;
        s.loc = tok().loc;
        s.extension = true;
        expect_keyword("extend");
        expect_keyword("schema");
        s.directives = parse_directives(true);
        if (peek(token_kind::brace_l))
          s.operation_types = gather<root_operation_type>([&](auto& roots) {
            many(token_kind::brace_l, token_kind::brace_r, [&] { roots.push_back(parse_root_operation()); });
          });
        if (s.directives.empty() && s.operation_types.empty()) unexpected();
        return s;
      }
      if (kw == "scalar" || kw == "type" || kw == "interface" || kw == "union" || kw == "enum" || kw == "input")
        return parse_type_definition(true);
    }
    unexpected(keyword);
  }

  lexer lex_;
  token token_;
  std::optional<syntax_error> ahead_error_;
  language::arena& arena_;
  scratch_space& scratch_;
  const parse_options& options_;
  std::size_t tokens_ = 0;
  std::size_t depth_ = 0;
};

// Stacks beyond this many bytes are let go after a parse rather than kept for the thread's next one.
constexpr std::size_t scratch_keep_bytes = 256 * 1024;

thread_local scratch_space thread_scratch;

}  // namespace

parse_result parse(std::string source, const parse_options& options) {
  return parse(std::make_shared<const std::string>(std::move(source)), options);
}

parse_result parse(std::shared_ptr<const std::string> source, const parse_options& options) {
  parse_result result;
  result.doc.source = std::move(source);
  if (result.doc.source->size() >= 0xFFFFFFF0u) {
    result.error = graphql_error{"Syntax Error: Document is too large.", {}, {}, {}};
    return result;
  }
  result.doc.arena = std::make_shared<arena>();
  scratch_space& scratch = thread_scratch;
  scratch.reset(scratch_keep_bytes);
  try {
    parser p(*result.doc.source, *result.doc.arena, scratch, options);
    result.doc.definitions = p.parse_document();
  } catch (const syntax_error& e) {
    result.doc.definitions = {};
    result.doc.arena.reset();
    result.error = graphql_error{e.message, {e.loc.to_source_location()}, {}, {}};
  }
  scratch.reset(scratch_keep_bytes);
  return result;
}

parse_options trusted_parse_options() {
  parse_options o;
  o.max_tokens = 0;
  o.max_depth = 512;
  return o;
}

}  // namespace sluice::language

// build_schema: every kind of type and extension, root types, types() order, directives, built-ins, options.
#include <gtest/gtest.h>

#include "schema_test_util.hpp"
#include "sluice/core/json.hpp"
#include "sluice/schema/builder.hpp"
#include "sluice/schema/coercion.hpp"

namespace sluice::schema {
namespace {

using testing::build_ok;
using testing::type_names;

TEST(BuildSchema, BuildsEveryKindOfType) {
  auto s = build_ok(R"(
    """
    The root.
      Indented.
    """
    type Query implements Node { id: ID!, things(first: Int = 10, after: String): [Thing!]!, pick: Pick, size: Size }
    "Anything with an id." interface Node { id: ID! }
    type Thing implements Node { id: ID! }
    union Pick = Thing | Other
    type Other { o: Boolean }
    enum Size { SMALL "Big ones." BIG }
    input Filter { name: String, size: Size = BIG }
    scalar Date
    type Mutation { filter(f: Filter): Date }
  )");
  ASSERT_TRUE(s);
  const auto* query = s->query_type();
  ASSERT_NE(query, nullptr);
  EXPECT_EQ(query->description(), "The root.\n  Indented.");
  EXPECT_EQ(query->fields().size(), 4u);
  const field* things = query->find_field("things");
  ASSERT_NE(things, nullptr);
  EXPECT_EQ(things->field_type->to_string(), "[Thing!]!");
  ASSERT_EQ(things->arguments.size(), 2u);
  EXPECT_EQ(things->find_argument("first")->default_value, value(10));
  EXPECT_EQ(things->find_argument("first")->default_literal->raw, "10");
  EXPECT_FALSE(things->find_argument("after")->default_value.has_value());
  EXPECT_EQ(query->find_field("nope"), nullptr);

  const auto* node = s->find_type("Node")->as<interface_type>();
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->description(), "Anything with an id.");
  EXPECT_TRUE(query->implements(node));

  const auto* pick = s->find_type("Pick")->as<union_type>();
  ASSERT_NE(pick, nullptr);
  ASSERT_EQ(pick->members().size(), 2u);
  EXPECT_EQ(pick->members()[0]->name(), "Thing");

  const auto* size = s->find_type("Size")->as<enum_type>();
  ASSERT_NE(size, nullptr);
  ASSERT_NE(size->find_value("BIG"), nullptr);
  EXPECT_EQ(size->find_value("BIG")->description, "Big ones.");
  EXPECT_EQ(size->find_value("HUGE"), nullptr);

  const auto* filter = s->find_type("Filter")->as<input_object_type>();
  ASSERT_NE(filter, nullptr);
  EXPECT_EQ(filter->find_field("size")->default_value, value("BIG"));
  EXPECT_FALSE(filter->one_of());

  const auto* date = s->find_type("Date")->as<scalar_type>();
  ASSERT_NE(date, nullptr);
  EXPECT_EQ(date->builtin(), builtin_scalar::none);
  EXPECT_EQ(s->mutation_type()->find_field("filter")->field_type, date);
  EXPECT_EQ(s->subscription_type(), nullptr);
}

TEST(BuildSchema, AppliesExtensionsOfEveryKind) {
  auto s = build_ok(R"(
    type Query { a: Int }
    extend type Query implements Node { id: ID! }
    interface Node { id: ID! }
    interface Named { name: String }
    extend interface Named implements Node { id: ID! }
    type A implements Named & Node { name: String, id: ID! }
    type B { b: Int }
    union U = A
    extend union U = B
    enum E { X }
    extend enum E { Y }
    input In { a: Int }
    extend input In { b: Int }
    scalar S
    extend scalar S @specifiedBy(url: "https://example.com/ignored")
    type M { m: Int }
    extend schema { mutation: M }
  )");
  ASSERT_TRUE(s);
  EXPECT_NE(s->query_type()->find_field("id"), nullptr);
  EXPECT_EQ(s->query_type()->interfaces().size(), 1u);
  EXPECT_EQ(s->query_type()->ast().size(), 2u);  // the definition and the extension
  EXPECT_EQ(s->find_type("Named")->as<interface_type>()->fields().size(), 2u);
  EXPECT_EQ(s->find_type("U")->as<union_type>()->members().size(), 2u);
  EXPECT_NE(s->find_type("E")->as<enum_type>()->find_value("Y"), nullptr);
  EXPECT_NE(s->find_type("In")->as<input_object_type>()->find_field("b"), nullptr);
  // graphql-js takes @specifiedBy from the scalar's definition only.
  EXPECT_FALSE(s->find_type("S")->as<scalar_type>()->specified_by_url().has_value());
  EXPECT_EQ(s->find_type("S")->directives().size(), 1u);
  ASSERT_NE(s->mutation_type(), nullptr);
  EXPECT_EQ(s->mutation_type()->name(), "M");
}

TEST(BuildSchema, RootTypesFromSchemaDefinition) {
  auto s = build_ok(R"(
    "Described." schema { query: Root, subscription: Events }
    type Root { a: Int }
    type Events { e: Int }
    type Mutation { m: Int }
  )");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->query_type()->name(), "Root");
  EXPECT_EQ(s->mutation_type(), nullptr);  // no default names once a schema definition exists
  EXPECT_EQ(s->subscription_type()->name(), "Events");
  EXPECT_EQ(s->root_type(language::operation_type::subscription), s->subscription_type());
  EXPECT_EQ(s->description(), "Described.");
}

TEST(BuildSchema, DefaultRootTypeNames) {
  auto s = build_ok("type Query { a: Int } type Mutation { m: Int } type Subscription { s: Int }");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->root_type(language::operation_type::query)->name(), "Query");
  EXPECT_EQ(s->root_type(language::operation_type::mutation)->name(), "Mutation");
  EXPECT_EQ(s->root_type(language::operation_type::subscription)->name(), "Subscription");
  EXPECT_FALSE(s->description().has_value());
}

// Expected orders are graphql-js 16.15's Object.keys(schema.getTypeMap()) for the same SDL.
TEST(BuildSchema, TypesInGraphqlJsOrder) {
  auto s = build_ok(
      "type Query { b: B, a: [A!] } type A implements I { x: Int } interface I { x: Int } "
      "type B { f(arg: In): Float } input In { e: E } enum E { X } type Mutation { m: ID }");
  ASSERT_TRUE(s);
  EXPECT_EQ(
      type_names(*s),
      "Query A Int I B Float In E Mutation ID Boolean String __Schema __Type __TypeKind __Field __InputValue "
      "__EnumValue __Directive __DirectiveLocation");

  auto t =
      build_ok("directive @d(x: Dir) on FIELD type Query { s: String } input Dir { f: Float } scalar Int");
  ASSERT_TRUE(t);
  EXPECT_EQ(type_names(*t),
            "Query String Dir Float Int Boolean __Schema __Type __TypeKind __Field __InputValue __EnumValue "
            "__Directive __DirectiveLocation");
}

TEST(BuildSchema, UnusedBuiltInScalarsAreNotInTheSchema) {
  auto s = build_ok("type Query { a: Int }");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->find_type("Float"), nullptr);
  EXPECT_EQ(s->find_type("ID"), nullptr);
  ASSERT_NE(s->find_type("String"), nullptr);  // used by the introspection types and @deprecated
  EXPECT_EQ(s->find_type("String")->as<scalar_type>()->builtin(), builtin_scalar::string);
  EXPECT_TRUE(s->find_type("String")->ast().empty());
}

TEST(BuildSchema, PossibleTypesAndSubTyping) {
  auto s = build_ok(
      "union U = B | A type Query { u: U, i: I } type A { a: Int } type B { b: Int } interface I { a: Int } "
      "type D implements I { a: Int } type C implements I { a: Int } interface J implements I { a: Int }");
  ASSERT_TRUE(s);
  auto names = [](const std::vector<const object_type*>& types) {
    std::string out;
    for (const auto* t : types) out += t->name();
    return out;
  };
  const auto* u = s->find_type("U");
  const auto* i = s->find_type("I");
  const auto* j = s->find_type("J");
  EXPECT_EQ(names(s->possible_types(u)), "BA");  // member order
  EXPECT_EQ(names(s->possible_types(i)), "DC");  // types() order
  EXPECT_TRUE(s->possible_types(j).empty());
  EXPECT_TRUE(s->is_sub_type(i, s->find_type("C")));
  EXPECT_TRUE(s->is_sub_type(i, j));
  EXPECT_FALSE(s->is_sub_type(u, s->find_type("C")));
  EXPECT_TRUE(s->types_overlap(u, s->find_type("A")));
  EXPECT_FALSE(s->types_overlap(u, i));
  EXPECT_FALSE(s->types_overlap(s->find_type("A"), s->find_type("B")));
  EXPECT_TRUE(s->types_overlap(i, s->find_type("D")));
}

TEST(BuildSchema, SpecifiedDirectivesAfterTheSdlOnes) {
  auto s = build_ok(R"(
    "Tags things." directive @tag(name: String!, weight: Int = 1) repeatable on FIELD_DEFINITION | OBJECT
    directive @skip(if: Boolean!, why: String) on FIELD
    type Query { a: Int @tag(name: "x") @tag(name: "y") }
  )");
  ASSERT_TRUE(s);
  std::string names;
  for (const auto* d : s->directives()) names += "@" + d->name;
  EXPECT_EQ(names, "@tag@skip@include@deprecated@specifiedBy@oneOf");
  const auto* tag = s->find_directive("tag");
  ASSERT_NE(tag, nullptr);
  EXPECT_TRUE(tag->repeatable);
  EXPECT_EQ(tag->description, "Tags things.");
  EXPECT_TRUE(tag->allowed_at(directive_location::object));
  EXPECT_FALSE(tag->allowed_at(directive_location::field));
  EXPECT_EQ(tag->find_argument("weight")->default_value, value(1));
  EXPECT_NE(tag->ast, nullptr);
  EXPECT_NE(s->find_directive("skip")->find_argument("why"),
            nullptr);  // the SDL's @skip replaces the built-in
  const auto& applied = s->query_type()->find_field("a")->directives;
  ASSERT_EQ(applied.size(), 2u);
  EXPECT_EQ(applied[1]->arguments.at(0).val.string_value, "y");
}

TEST(BuildSchema, SpecifiedDirectivesAsGraphqlJsDefinesThem) {
  auto s = build_ok("type Query { a: Int }");
  ASSERT_TRUE(s);
  const auto* deprecated = s->find_directive("deprecated");
  ASSERT_NE(deprecated, nullptr);
  EXPECT_EQ(deprecated->description, "Marks an element of a GraphQL schema as no longer supported.");
  EXPECT_EQ(deprecated->ast, nullptr);
  std::string locations;
  for (auto loc : deprecated->locations) locations += std::string(to_string(loc)) + " ";
  EXPECT_EQ(locations,
            "FIELD_DEFINITION ARGUMENT_DEFINITION INPUT_FIELD_DEFINITION ENUM_VALUE DIRECTIVE_DEFINITION ");
  const auto* reason = deprecated->find_argument("reason");
  EXPECT_EQ(reason->value_type->to_string(), "String");
  EXPECT_EQ(reason->default_value, value("No longer supported"));
  EXPECT_EQ(reason->description,
            "Explains why this element was deprecated, usually also including a suggestion for how to access "
            "supported similar data. Formatted using the Markdown syntax, as specified by "
            "[CommonMark](https://commonmark.org/).");
  EXPECT_EQ(s->find_directive("include")->find_argument("if")->description, "Included when true.");
  EXPECT_EQ(s->find_directive("specifiedBy")->find_argument("url")->value_type->to_string(), "String!");
  EXPECT_EQ(s->find_directive("oneOf")->description,
            "Indicates exactly one field must be supplied and this field must not be `null`.");
  EXPECT_EQ(
      s->find_type("Int")->description(),
      "The `Int` scalar type represents non-fractional signed whole numeric values. Int can represent values "
      "between -(2^31) and 2^31 - 1.");
}

TEST(BuildSchema, IntrospectionTypes) {
  auto s = build_ok("type Query { a: Int }");
  ASSERT_TRUE(s);
  const auto* type_type = s->find_type("__Type")->as<object_type>();
  ASSERT_NE(type_type, nullptr);
  EXPECT_TRUE(type_type->ast().empty());
  std::string fields;
  for (const auto& f : type_type->fields()) fields += f.name + " ";
  EXPECT_EQ(
      fields,
      "kind name description specifiedByURL fields interfaces possibleTypes enumValues inputFields ofType "
      "isOneOf ");
  const auto* include_deprecated = type_type->find_field("fields")->find_argument("includeDeprecated");
  EXPECT_EQ(include_deprecated->value_type->to_string(), "Boolean");
  EXPECT_EQ(include_deprecated->default_value, value(false));
  const auto* directives = s->find_type("__Schema")->as<object_type>()->find_field("directives");
  EXPECT_EQ(directives->find_argument("includeDeprecated")->value_type->to_string(), "Boolean!");
  EXPECT_EQ(s->find_type("__DirectiveLocation")->as<enum_type>()->values().size(), 20u);
  EXPECT_EQ(s->find_type("__TypeKind")->as<enum_type>()->find_value("INPUT_OBJECT")->description,
            "Indicates this type is an input object. `inputFields` is a valid field.");

  EXPECT_EQ(s->schema_meta_field().field_type->to_string(), "__Schema!");
  EXPECT_EQ(s->type_meta_field().field_type->to_string(), "__Type");
  EXPECT_EQ(s->type_meta_field().find_argument("name")->value_type->to_string(), "String!");
  EXPECT_EQ(s->typename_meta_field().field_type->to_string(), "String!");
  EXPECT_EQ(s->typename_meta_field().description, "The name of the current Object type at runtime.");
}

TEST(BuildSchema, Deprecation) {
  auto s = build_ok(R"(
    type Query {
      plain: Int
      old: Int @deprecated
      why: Int @deprecated(reason: "Use `plain`.")
      nulled: Int @deprecated(reason: null)
      f(a: Int @deprecated(reason: "arg")): Int
    }
    input In { x: Int @deprecated }
    enum E { A B @deprecated(reason: "b") }
  )");
  ASSERT_TRUE(s);
  const auto* q = s->query_type();
  EXPECT_FALSE(q->find_field("plain")->deprecation_reason.has_value());
  EXPECT_EQ(q->find_field("old")->deprecation_reason, "No longer supported");
  EXPECT_EQ(q->find_field("why")->deprecation_reason, "Use `plain`.");
  EXPECT_FALSE(q->find_field("nulled")->deprecation_reason.has_value());
  EXPECT_EQ(q->find_field("f")->find_argument("a")->deprecation_reason, "arg");
  EXPECT_EQ(s->find_type("In")->as<input_object_type>()->find_field("x")->deprecation_reason,
            "No longer supported");
  EXPECT_FALSE(s->find_type("E")->as<enum_type>()->find_value("A")->deprecation_reason.has_value());
  EXPECT_EQ(s->find_type("E")->as<enum_type>()->find_value("B")->deprecation_reason, "b");
}

TEST(BuildSchema, InvalidDeprecationReasonIsAnError) {
  auto errors = testing::build_errors("type Query { a: Int @deprecated(reason: 123) }");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "Argument \"reason\" has invalid value 123.");
  EXPECT_EQ(errors[0].locations, (std::vector<source_location>{{1, 41}}));
}

TEST(BuildSchema, OneOfAndSpecifiedBy) {
  auto s = build_ok(R"(
    type Query { f(o: One): Url }
    input One @oneOf { a: Int, b: String }
    scalar Url @specifiedBy(url: "https://url.spec.whatwg.org/")
  )");
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->find_type("One")->as<input_object_type>()->one_of());
  EXPECT_EQ(s->find_type("Url")->as<scalar_type>()->specified_by_url(), "https://url.spec.whatwg.org/");
}

TEST(BuildSchema, DefaultValuesAreCoerced) {
  auto s = build_ok(R"(
    type Query { f(in: In = {a: 1}, list: [Int] = 5, id: ID = 7, e: E = B, bad: Int = "x", fl: Float = 2): Int }
    input In { a: Int, b: String = "dflt", c: Nested = {} }
    input Nested { n: Boolean = true }
    enum E { A B }
  )");
  ASSERT_TRUE(s);
  const field* f = s->query_type()->find_field("f");
  EXPECT_EQ(json::to_string(*f->find_argument("in")->default_value), R"({"a":1,"b":"dflt","c":{"n":true}})");
  EXPECT_EQ(f->find_argument("list")->default_value, value(sluice::list{value(5)}));
  EXPECT_EQ(f->find_argument("id")->default_value, value("7"));
  EXPECT_EQ(f->find_argument("e")->default_value, value("B"));
  EXPECT_TRUE(f->find_argument("fl")->default_value->is_float());
  // An invalid default is dropped without an error, as graphql-js 16 does; the literal stays.
  EXPECT_FALSE(f->find_argument("bad")->default_value.has_value());
  EXPECT_NE(f->find_argument("bad")->default_literal, nullptr);
}

TEST(BuildSchema, BuiltInNamesKeepTheBuiltInTypes) {
  auto s = build_ok("\"Mine.\" scalar String type Query { a: String }");
  ASSERT_TRUE(s);
  const auto* string_type = s->find_type("String")->as<scalar_type>();
  ASSERT_NE(string_type, nullptr);
  EXPECT_EQ(string_type->builtin(), builtin_scalar::string);
  EXPECT_NE(string_type->description(), "Mine.");
  EXPECT_EQ(type_names(*s).substr(0, 13), "String Query ");
}

TEST(BuildSchema, CustomScalarCoercionFromOptions) {
  build_options options;
  options.custom_scalars["Upper"].serialize = [](const value& v) {
    std::string s = v.as_string();
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return value(s);
  };
  auto s = build_ok(
      "scalar Upper scalar Plain type Query { u(x: Upper = \"a\"): Upper, p(x: Plain = {k: [1]}): Plain }",
      options);
  ASSERT_TRUE(s);
  const auto* upper = s->find_type("Upper")->as<scalar_type>();
  EXPECT_EQ(upper->coercion().serialize(value("abc")), value("ABC"));
  EXPECT_EQ(upper->coercion().parse_value(value("abc")), value("abc"));  // left empty: the default
  const auto* plain = s->find_type("Plain")->as<scalar_type>();
  EXPECT_FALSE(plain->coercion().serialize);  // no serialize function: values pass through
  EXPECT_EQ(serialize_leaf(*plain, value(1.5)), value(1.5));
  EXPECT_EQ(json::to_string(*s->query_type()->find_field("p")->find_argument("x")->default_value),
            R"({"k":[1]})");
}

// graphql-js quirk kept for compatibility: without a schema definition, types named Query, Mutation and
// Subscription are the roots even when `extend schema` names others.
TEST(BuildSchema, DefaultRootNamesWinOverSchemaExtensions) {
  auto s = build_ok(
      "type Query { a: Int } type Subscription { s: Int } type Other { o: Int } extend schema { "
      "subscription: Other }");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->subscription_type()->name(), "Subscription");
  auto t = build_ok("type Query { a: Int } type Other { o: Int } extend schema { subscription: Other }");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->subscription_type()->name(), "Other");
}

// graphql-js overflows its stack on this schema; the builder computes each input object's defaults once (the
// default of B.a is coerced while A's own defaults are still being computed, so it is `{}`).
TEST(BuildSchema, MutuallyRecursiveInputDefaults) {
  auto s =
      build_ok("input A { b: B = {c: 1} } input B { c: Int, a: A = {} } type Query { f(a: A = {}): Int }");
  ASSERT_TRUE(s);
  EXPECT_EQ(json::to_string(*s->query_type()->find_field("f")->find_argument("a")->default_value),
            R"({"b":{"c":1,"a":{}}})");
}

TEST(BuildSchema, SeveralSources) {
  auto result = build_schema(
      std::vector<std::string>{"type Query { a: A }", "type A { b: Int }", "extend type A { c: Int }"});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.built->find_type("A")->as<object_type>()->fields().size(), 2u);
}

TEST(BuildSchema, SyntaxErrorIsTheBuildError) {
  auto errors = testing::build_errors("type Query {\n  a: \n}");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "Syntax Error: Expected Name, found \"}\".");
  EXPECT_EQ(errors[0].locations, (std::vector<source_location>{{3, 1}}));
}

TEST(BuildSchema, AstPointersStayValid) {
  std::shared_ptr<const schema> s;
  {
    std::string sdl = "type Query { a(x: Int = 3): Int @deprecated }";
    s = build_ok(sdl);
  }
  ASSERT_TRUE(s);
  const field* a = s->query_type()->find_field("a");
  ASSERT_NE(a->ast, nullptr);
  EXPECT_EQ(a->ast->field_name.text, "a");
  EXPECT_EQ(a->find_argument("x")->default_literal->raw, "3");
  EXPECT_EQ(a->directives.at(0)->directive_name.text, "deprecated");
  EXPECT_EQ(s->query_type()->ast().at(0)->type_name.text, "Query");
}

}  // namespace
}  // namespace sluice::schema

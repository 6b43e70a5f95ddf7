// A dynamic JSON-like value: variables, arguments, root values and resolver results.
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <typeinfo>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace sluice {

class value;
struct member;

// A C++ object carried through execution as a parent value (a resolver returns it, child resolvers read it).
// It is never serialised: a leaf field must resolve to a JSON-like value.
struct opaque {
  std::shared_ptr<const void> ptr;
  const std::type_info* type = nullptr;
  friend bool operator==(const opaque& a, const opaque& b) noexcept { return a.ptr == b.ptr; }
};

using list = std::vector<value>;
// An object keeps its members in insertion order (lookups are linear: objects here are small).
using object = std::vector<member>;

class value {
 public:
  enum class kind : std::uint8_t { null, boolean, integer, floating, string, list, object, opaque };

  // (Constructor bodies follow `member`'s definition: the variant needs every alternative complete.)
  value() noexcept;
  value(std::nullptr_t) noexcept;
  value(bool b) noexcept;
  value(int i) noexcept;
  value(long i) noexcept;
  value(long long i) noexcept;
  value(unsigned i) noexcept;
  value(double d) noexcept;
  value(std::string s) noexcept;
  value(std::string_view s);
  value(const char* s);
  value(sluice::list l) noexcept;
  value(sluice::object o) noexcept;
  value(sluice::opaque o) noexcept;
  value(const value&);
  value(value&&) noexcept;
  value& operator=(const value&);
  value& operator=(value&&) noexcept;
  ~value();

  // Wraps a shared C++ object.
  template <typename T>
  [[nodiscard]] static value from_object(std::shared_ptr<const T> p) {
    return value(sluice::opaque{std::static_pointer_cast<const void>(std::move(p)), &typeid(T)});
  }
  // Wraps a pointer to an object that outlives every use of the value (no ownership, no allocation).
  template <typename T>
  [[nodiscard]] static value from_pointer(const T* p) {
    return value(sluice::opaque{std::shared_ptr<const void>(std::shared_ptr<void>(), p), &typeid(T)});
  }
  // The wrapped object when this is an opaque value of exactly type T; nullptr otherwise.
  template <typename T>
  [[nodiscard]] const T* object_ptr() const noexcept {
    const auto* o = std::get_if<sluice::opaque>(&v_);
    return (o && o->type && *o->type == typeid(T)) ? static_cast<const T*>(o->ptr.get()) : nullptr;
  }

  [[nodiscard]] kind type() const noexcept { return static_cast<kind>(v_.index()); }
  [[nodiscard]] bool is_null() const noexcept { return v_.index() == 0; }
  [[nodiscard]] bool is_bool() const noexcept { return type() == kind::boolean; }
  [[nodiscard]] bool is_int() const noexcept { return type() == kind::integer; }
  [[nodiscard]] bool is_float() const noexcept { return type() == kind::floating; }
  [[nodiscard]] bool is_number() const noexcept { return is_int() || is_float(); }
  [[nodiscard]] bool is_string() const noexcept { return type() == kind::string; }
  [[nodiscard]] bool is_list() const noexcept { return type() == kind::list; }
  [[nodiscard]] bool is_object() const noexcept { return type() == kind::object; }
  [[nodiscard]] bool is_opaque() const noexcept { return type() == kind::opaque; }

  // Accessors assert the kind (std::bad_variant_access otherwise).
  [[nodiscard]] bool as_bool() const { return std::get<bool>(v_); }
  [[nodiscard]] std::int64_t as_int() const { return std::get<std::int64_t>(v_); }
  [[nodiscard]] double as_float() const { return std::get<double>(v_); }
  // A number of either kind as a double.
  [[nodiscard]] double as_number() const { return is_int() ? static_cast<double>(as_int()) : as_float(); }
  [[nodiscard]] const std::string& as_string() const { return std::get<std::string>(v_); }
  [[nodiscard]] std::string& as_string() { return std::get<std::string>(v_); }
  [[nodiscard]] const sluice::list& as_list() const;
  [[nodiscard]] sluice::list& as_list();
  [[nodiscard]] const sluice::object& as_object() const;
  [[nodiscard]] sluice::object& as_object();
  [[nodiscard]] const sluice::opaque& as_opaque() const { return std::get<sluice::opaque>(v_); }

  // Object member lookup; nullptr when absent or when this is not an object.
  [[nodiscard]] const value* find(std::string_view key) const noexcept;
  [[nodiscard]] value* find(std::string_view key) noexcept;
  // Sets (or replaces) an object member; turns a null into an empty object first.
  value& set(std::string_view key, value v);

  friend bool operator==(const value& a, const value& b) noexcept;

 private:
  std::variant<std::monostate, bool, std::int64_t, double, std::string, sluice::list, sluice::object, sluice::opaque> v_;
};

struct member {
  std::string name;
  sluice::value val;
  friend bool operator==(const member& a, const member& b) noexcept = default;
};

inline value::value() noexcept = default;
inline value::value(std::nullptr_t) noexcept {}
inline value::value(bool b) noexcept : v_(b) {}
inline value::value(int i) noexcept : v_(static_cast<std::int64_t>(i)) {}
inline value::value(long i) noexcept : v_(static_cast<std::int64_t>(i)) {}
inline value::value(long long i) noexcept : v_(static_cast<std::int64_t>(i)) {}
inline value::value(unsigned i) noexcept : v_(static_cast<std::int64_t>(i)) {}
inline value::value(double d) noexcept : v_(d) {}
inline value::value(std::string s) noexcept : v_(std::move(s)) {}
inline value::value(std::string_view s) : v_(std::string(s)) {}
inline value::value(const char* s) : v_(std::string(s)) {}
inline value::value(sluice::list l) noexcept : v_(std::move(l)) {}
inline value::value(sluice::object o) noexcept : v_(std::move(o)) {}
inline value::value(sluice::opaque o) noexcept : v_(std::move(o)) {}
inline value::value(const value&) = default;
inline value::value(value&&) noexcept = default;
inline value& value::operator=(const value&) = default;
inline value& value::operator=(value&&) noexcept = default;
inline value::~value() = default;
inline const sluice::list& value::as_list() const { return std::get<sluice::list>(v_); }
inline sluice::list& value::as_list() { return std::get<sluice::list>(v_); }
inline const sluice::object& value::as_object() const { return std::get<sluice::object>(v_); }
inline sluice::object& value::as_object() { return std::get<sluice::object>(v_); }

}  // namespace sluice

// Reading typed fields out of a parsed scenario document, with positions.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "scenario/json_source.h"
#include "scenario/keys.h"
#include "scenario/model.h"
#include "scenario/scenario_error.h"

namespace wscheck {

/// Thrown by FieldReader::fail() after recording an error: the object being
/// read cannot be used, so reading resumes with the next step or scenario.
struct Abandon {};

/// Keys, types and ranges of one file's document. Every problem is recorded
/// in the ErrorList with its file:line:col; getters return nullopt (or an
/// empty list) for a wrong value so reading can go on and find the next one.
class FieldReader {
 public:
  FieldReader(std::string file, const ParsedJson& doc, ErrorList& errors)
      : file_(std::move(file)), doc_(doc), errors_(errors) {}

  const std::string& file() const { return file_; }
  const nlohmann::json& root() const { return doc_.value; }
  SourceRef at(const std::string& pointer) const { return SourceRef{file_, doc_.positions.value(pointer)}; }
  SourceRef key_at(const std::string& pointer) const { return SourceRef{file_, doc_.positions.key(pointer)}; }

  /// Records an error at the value of `pointer` (note) or its key (note_key).
  void note(const std::string& pointer, const std::string& message, const std::string& hint = "") const;
  void note_key(const std::string& pointer, const std::string& message, const std::string& hint = "") const;
  /// Records, then abandons the object being read.
  [[noreturn]] void fail(const std::string& pointer, const std::string& message, const std::string& hint = "") const;
  [[noreturn]] void fail_key(const std::string& pointer, const std::string& message, const std::string& hint = "") const;

  /// Reports every key of `obj` not in `allowed`, with a did-you-mean suggestion.
  void check_keys(const nlohmann::json& obj, const std::string& pointer, const keys::KeySet& allowed) const;
  /// Abandons unless `v` is an object.
  void require_object(const nlohmann::json& v, const std::string& pointer) const;
  /// Records "missing required key" at `pointer` and returns false when absent.
  bool require_key(const nlohmann::json& obj, const std::string& pointer, const std::string& key) const;

  std::optional<std::string> get_string(const nlohmann::json& obj, const std::string& pointer, const std::string& key,
                                        bool required = false) const;
  std::optional<long long> get_int(const nlohmann::json& v, const std::string& pointer, const std::string& what,
                                   long long min, long long max) const;
  std::optional<int> get_int32(const nlohmann::json& v, const std::string& pointer, const std::string& what, int min,
                               int max) const;
  std::optional<bool> get_bool(const nlohmann::json& v, const std::string& pointer, const std::string& what) const;
  std::vector<std::string> get_string_list(const nlohmann::json& v, const std::string& pointer,
                                           const std::string& what) const;
  std::vector<int> get_int_list(const nlohmann::json& v, const std::string& pointer, const std::string& what, int min,
                                int max) const;

  /// Records `text` in `out` when it holds ${VAR} references (checked before
  /// anything runs); a malformed reference is an error here.
  void add_template(std::vector<TemplateRef>& out, const std::string& text, const std::string& pointer) const;
  void add_json_templates(std::vector<TemplateRef>& out, const nlohmann::json& v, const std::string& pointer) const;

 private:
  std::string file_;
  const ParsedJson& doc_;
  ErrorList& errors_;
};

/// "an object", "a string", ... for messages.
std::string type_word(const nlohmann::json& v);
/// " (did you mean \"x\"?)" for a near miss, else "".
std::string suggestion(const std::string& key, const keys::KeySet& allowed);
/// "a, b, c"
std::string join_keys(const keys::KeySet& names);

}  // namespace wscheck

// The evaluator: a loop over each schema's instructions. Subschemas are
// entered through `apply` (same instance location) or `apply_child` (a member
// or item); nesting is bounded by CompileLimits::max_eval_depth, so neither a
// deep instance nor a self-referential schema (`{"$ref": "#"}`) can exhaust
// the stack. Annotations for `unevaluated*` (core §11) are tracked only below
// schemas that use them.

#include "schema/evaluator.h"

namespace mcpw::schema {

using detail::Evaluator;

namespace detail {

// allOf/anyOf/oneOf/not/if and the references (core §10.2, §8.2.3): the
// subschema sees the same instance location; annotations flow up only from
// subschemas that passed (core §7.7.1.2).
bool Evaluator::exec_in_place(const Instr& in, std::uint32_t inst, Annot* annot) {
  switch (in.op) {
    case Op::all_of: {
      bool ok = true;
      for (std::uint32_t k = in.a; k < in.a + in.b; ++k) {
        if (!apply(edges_[k], inst, annot)) {
          ok = false;
          if (!basic_ || stop()) return false;
        }
      }
      return ok;
    }
    case Op::any_of: {
      const std::size_t saved = out_.errors.size();
      bool any = false;
      for (std::uint32_t k = in.a; k < in.a + in.b; ++k) {
        std::optional<Annot> branch;
        if (apply(edges_[k], inst, annot ? &branch.emplace() : nullptr)) {
          any = true;
          if (!annot) break;  // no annotations wanted: the first match decides
          annot->merge(*branch);
        }
        if (stop()) return false;
      }
      if (any) {
        out_.errors.resize(saved);
        return true;
      }
      fail(in, inst);
      return false;
    }
    case Op::one_of: {
      const std::size_t saved = out_.errors.size();
      std::uint32_t matches = 0;
      std::optional<Annot> kept;
      for (std::uint32_t k = in.a; k < in.a + in.b && matches < 2; ++k) {
        std::optional<Annot> branch;
        if (apply(edges_[k], inst, annot ? &branch.emplace() : nullptr)) {
          ++matches;
          if (annot) kept = std::move(branch);
        }
        if (stop()) return false;
      }
      if (matches == 1) {
        out_.errors.resize(saved);
        if (annot) annot->merge(*kept);
        return true;
      }
      if (matches > 1) out_.errors.resize(saved);
      fail(in, inst, matches);
      return false;
    }
    case Op::not_: {
      const std::size_t saved = out_.errors.size();
      const bool r = apply(edges_[in.a], inst, nullptr);
      if (stop()) return false;
      out_.errors.resize(saved);
      if (!r) return true;
      fail(in, inst);
      return false;
    }
    case Op::if_then_else: {
      const std::size_t saved = out_.errors.size();
      std::optional<Annot> cond;
      const bool r = apply(edges_[in.a], inst, annot ? &cond.emplace() : nullptr);
      if (stop()) return false;
      out_.errors.resize(saved);
      if (r) {
        if (annot) annot->merge(*cond);
        return in.b == NONE || apply(edges_[in.b], inst, annot);
      }
      return in.c == NONE || apply(edges_[in.c], inst, annot);
    }
    case Op::ref:
      return apply(edges_[in.a], inst, annot);
    case Op::dynamic_ref: {
      Edge e = edges_[in.a];
      if (in.b != NONE) {
        // The outermost resource in the dynamic scope that declares the
        // anchor wins (2020-12 core §8.2.3.2; 2019-09 §8.2.4.2.2).
        scope_.for_each([&](std::uint32_t r) {
          for (const auto& [name, schema] : p_.resources[r].dynamic_anchors) {
            if (name == in.b) {
              e.schema = schema;
              return true;
            }
          }
          return false;
        });
      }
      return apply(e, inst, annot);
    }
    default:
      return true;
  }
}

}  // namespace detail

Status evaluate(const Program& program, const Tape& tape, OutputFormat format, ValidationOutput& out,
                std::uint32_t root) {
  out = ValidationOutput{};
  Evaluator ev(program, tape, format, out);
  return ev.run(root);
}

}  // namespace mcpw::schema

// Team recipe from shared/RUNTIME.md (verified on this machine), kept as is.
// --js-library override for Emscripten 3.1.6 + -sDYNAMIC_EXECUTION=0.
// The stock no-eval invoker keeps `destructors`, `argsWired`, `invokerFuncArgs` in the
// closure, shared by every call of the same bound function: re-entering that function
// (C++ -> JS callback -> same function) double-frees std::string args (ASan-confirmed).
// This is the same invoker with per-call state. (No ASYNCIFY / tracing branches.)
mergeInto(LibraryManager.library, {
  $craftInvokerFunction__deps: ['$runDestructors', '$throwBindingError'],
  $craftInvokerFunction: function(humanName, argTypes, classType, cppInvokerFunc, cppTargetFunc) {
    var argCount = argTypes.length;
    if (argCount < 2) {
      throwBindingError("argTypes array size mismatch! Must at least get return value and 'this' types!");
    }
    var isClassMethodFunc = (argTypes[1] !== null && classType !== null);
    var needsDestructorStack = false;
    for (var i = 1; i < argTypes.length; ++i) {
      if (argTypes[i] !== null && argTypes[i].destructorFunction === undefined) { needsDestructorStack = true; break; }
    }
    var returns = (argTypes[0].name !== "void");
    var expectedArgCount = argCount - 2;
    return function() {
      if (arguments.length !== expectedArgCount) {
        throwBindingError('function ' + humanName + ' called with ' + arguments.length +
                          ' arguments, expected ' + expectedArgCount + ' args!');
      }
      var destructors = [];
      var argsWired = new Array(expectedArgCount);
      var invokerFuncArgs = [cppTargetFunc];
      var thisWired;
      if (isClassMethodFunc) {
        thisWired = argTypes[1]['toWireType'](destructors, this);
        invokerFuncArgs.push(thisWired);
      }
      for (var i = 0; i < expectedArgCount; ++i) {
        argsWired[i] = argTypes[i + 2]['toWireType'](destructors, arguments[i]);
        invokerFuncArgs.push(argsWired[i]);
      }
      var rv = cppInvokerFunc.apply(null, invokerFuncArgs);
      if (needsDestructorStack) {
        runDestructors(destructors);
      } else {
        for (var i = isClassMethodFunc ? 1 : 2; i < argTypes.length; i++) {
          var param = i === 1 ? thisWired : argsWired[i - 2];
          if (argTypes[i].destructorFunction !== null) argTypes[i].destructorFunction(param);
        }
      }
      if (returns) return argTypes[0]['fromWireType'](rv);
    };
  },
});

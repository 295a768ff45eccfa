// The one DOM helper the panel's files share.

/// A new element with properties set and children appended (null children skipped).
export const el = (tag, props = {}, ...children) => {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children.filter((c) => c != null));
  return e;
};

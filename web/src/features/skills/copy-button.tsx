"use client";

import { useEffect, useState } from "react";

/** Copies `text` to the clipboard; says "Copied" for a moment, or why it could not. */
export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const timer = setTimeout(() => setState("idle"), 1_500);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <button
      type="button"
      className="button small"
      aria-label={`Copy ${label}`}
      title={state === "failed" ? "The browser refused the clipboard: select the text and copy it" : `Copy ${label}`}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setState("copied"),
          () => setState("failed"),
        );
      }}
    >
      {state === "copied" ? "Copied" : state === "failed" ? "Copy failed" : "Copy"}
    </button>
  );
}

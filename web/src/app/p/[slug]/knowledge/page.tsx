import { NotBuilt } from "@/features/ui/not-built.tsx";

/** Knowledge: not built yet. */
export default function KnowledgePage() {
  return (
    <NotBuilt
      title="Knowledge"
      note="Knowledge arrives in a later release: the brain docs each agent reads. The mission is already shown above every page."
    />
  );
}

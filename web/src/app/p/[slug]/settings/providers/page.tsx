import { ProvidersView } from "@/features/providers/providers-view.tsx";

/** Settings → Providers: the project's provider connections and their keys. */
export default function ProvidersSettingsPage() {
  return <ProvidersView />;
}

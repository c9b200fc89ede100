"use client";

import { useRouter } from "next/navigation";
import { useLiveStoreApi } from "../live/live-store-provider.tsx";
import { useProject } from "../projects/project-context.tsx";

/** Signs out, forgets every live row and goes to sign-in (the top bar, the menu drawer and the palette). */
export function useSignOut(): () => Promise<void> {
  const { client } = useProject();
  const router = useRouter();
  const store = useLiveStoreApi();
  return async () => {
    await client.auth.signOut();
    store.getState().clearRows();
    router.replace("/sign-in");
  };
}

import { StartRedirect } from "@/features/projects/start-redirect.tsx";

/** `/`: sends the user to their first project, or to sign-in. */
export default function Home() {
  return <StartRedirect />;
}

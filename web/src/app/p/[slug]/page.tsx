import { redirect } from "next/navigation";

/**
 * `/p/<slug>` opens the Overview: the page an operator leaves open, with every number linking to
 * where it is acted on (Activity is one click away in the sidebar).
 */
export default async function ProjectHome({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(`/p/${slug}/overview`);
}

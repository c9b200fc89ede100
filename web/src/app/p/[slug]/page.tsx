import { redirect } from "next/navigation";

/** `/p/<slug>` opens the Activity page. */
export default async function ProjectHome({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(`/p/${slug}/activity`);
}

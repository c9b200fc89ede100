import { Suspense } from "react";
import { SignInForm } from "@/features/auth/sign-in-form.tsx";

/** The sign-in page. */
export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}

export default function Page() {
  return <p>qstash-cancel in Next.js</p>;
}

// Email delivery for scheduled reports, through the MSP's own SMTP server.
// nodemailer is loaded on the first mail: most collectors never send one, and it is slow to load.

export interface Mail {
  to: string[];
  subject: string;
  text: string;
  attachment?: { filename: string; path: string; contentType: string };
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** smtp://user:pass@host:port or smtps://...; `from` is the sender address. */
export function smtpMailer(url: string, from: string): Mailer {
  let transport: Promise<{ sendMail(message: object): Promise<unknown> }> | null = null;
  return {
    send: async (mail) => {
      transport ??= import('nodemailer').then((m) => m.default.createTransport(url));
      await (await transport).sendMail({
        from, to: mail.to, subject: mail.subject, text: mail.text,
        attachments: mail.attachment ? [{ filename: mail.attachment.filename, path: mail.attachment.path, contentType: mail.attachment.contentType }] : [],
      });
    },
  };
}

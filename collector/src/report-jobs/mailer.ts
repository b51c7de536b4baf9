// Email delivery for scheduled reports, through the MSP's own SMTP server.
import nodemailer from 'nodemailer';

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
  const transport = nodemailer.createTransport(url);
  return {
    send: async (mail) => {
      await transport.sendMail({
        from, to: mail.to, subject: mail.subject, text: mail.text,
        attachments: mail.attachment ? [{ filename: mail.attachment.filename, path: mail.attachment.path, contentType: mail.attachment.contentType }] : [],
      });
    },
  };
}
